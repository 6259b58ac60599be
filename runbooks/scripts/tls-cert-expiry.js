#!/usr/bin/env node
// When does a TLS certificate expire? Reads the FIRST certificate of a PEM (or DER) file.
// The certificate is chosen by name, never by path: only the files listed below can be read.
// Exit codes: 0 = fine, 1 = expires within warn_days, 2 = expired, not yet valid, or unreadable.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { X509Certificate } = require("node:crypto");

// The demo certificates are shipped with the runbook (files:) into the run's working directory.
const CERTIFICATES = {
  demo: path.join(process.cwd(), "fixtures", "demo-cert.pem"),
  "expired-demo": path.join(process.cwd(), "fixtures", "expired-cert.pem"),
  "system-ca-bundle": "/etc/ssl/certs/ca-certificates.crt",
};

const name = process.env.HANDRAIL_PARAM_CERTIFICATE || process.argv[2] || "demo";
const warnDays = Number(process.env.HANDRAIL_PARAM_WARN_DAYS ?? process.argv[3] ?? 30);
const DAY_MS = 24 * 60 * 60 * 1000;

function fail(message) {
  console.error(`error: ${message}`);
  process.exit(2);
}

if (!Object.hasOwn(CERTIFICATES, name)) fail(`unknown certificate "${name}" (${Object.keys(CERTIFICATES).join(", ")})`);
const certPath = CERTIFICATES[name];

let raw;
try {
  raw = fs.readFileSync(certPath);
} catch (error) {
  fail(`cannot read ${certPath}: ${error.code === "ENOENT" ? "no such file" : error.message}`);
}

const text = raw.toString("latin1");
const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
let cert;
try {
  cert = new X509Certificate(blocks.length > 0 ? blocks[0] : raw);
} catch (error) {
  fail(`${certPath} does not contain a readable certificate (${error.message})`);
}

const notBefore = new Date(cert.validFrom);
const notAfter = new Date(cert.validTo);
const now = Date.now();
const expired = notAfter.getTime() <= now;
const daysLeft = Math.floor((notAfter.getTime() - now) / DAY_MS);
const daysAgo = Math.floor((now - notAfter.getTime()) / DAY_MS);
const oneLine = (dn) => dn.split("\n").join(", ");

console.log(`certificate: ${name} (${certPath})${blocks.length > 1 ? ` (first of ${blocks.length} certificates)` : ""}`);
console.log(`subject:     ${oneLine(cert.subject)}`);
console.log(`issuer:      ${oneLine(cert.issuer)}`);
if (cert.subjectAltName) console.log(`alt names:   ${cert.subjectAltName}`);
console.log(`serial:      ${cert.serialNumber}`);
console.log(`sha256:      ${cert.fingerprint256}`);
console.log(`not before:  ${notBefore.toISOString()}`);
console.log(`not after:   ${notAfter.toISOString()}`);
console.log(`days left:   ${expired ? `none (expired ${daysAgo} day(s) ago)` : daysLeft}`);

if (notBefore.getTime() > now) {
  console.error(`CRITICAL: certificate is not valid until ${notBefore.toISOString()}`);
  process.exit(2);
}
if (expired) {
  console.error(`CRITICAL: certificate expired on ${notAfter.toISOString()}`);
  process.exit(2);
}
if (daysLeft < warnDays) {
  console.error(`WARNING: certificate expires in ${daysLeft} day(s), under the ${warnDays}-day threshold`);
  process.exit(1);
}
console.log(`OK: ${daysLeft} days left (warning threshold ${warnDays})`);
