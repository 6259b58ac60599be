#!/usr/bin/env node
// A view (docs/views.md): how many days each known certificate has left, as one result line.
// The worst certificate sets the status: critical when one has expired, warn under warn_days.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { X509Certificate } = require("node:crypto");

const CERTIFICATES = {
  demo: path.join(process.cwd(), "fixtures", "demo-cert.pem"),
  "system-ca-bundle": "/etc/ssl/certs/ca-certificates.crt",
};
const warnDays = Number(process.env.HANDRAIL_PARAM_WARN_DAYS ?? 30);
const DAY_MS = 24 * 60 * 60 * 1000;

const rows = [];
for (const [name, file] of Object.entries(CERTIFICATES)) {
  let cert;
  try {
    const pem = fs.readFileSync(file, "utf8").match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/);
    cert = new X509Certificate(pem ? pem[0] : fs.readFileSync(file));
  } catch (error) {
    console.log(`${name}: cannot be read (${error.message})`);
    continue;
  }
  const daysLeft = Math.floor((new Date(cert.validTo).getTime() - Date.now()) / DAY_MS);
  console.log(`${name}: ${daysLeft} days left (${cert.subject.split("\n").join(", ")})`);
  rows.push([name, daysLeft, new Date(cert.validTo).toISOString().slice(0, 10)]);
}
if (rows.length === 0) {
  console.log(JSON.stringify({ status: "critical", headline: "no certificate could be read" }));
  process.exit(0);
}
const soonest = rows.reduce((worst, row) => (row[1] < worst[1] ? row : worst));
const status = soonest[1] < 0 ? "critical" : soonest[1] < warnDays ? "warn" : "ok";
const headline = soonest[1] < 0 ? `${soonest[0]} expired ${-soonest[1]} days ago` : `soonest: ${soonest[0]} in ${soonest[1]} days`;
console.log(JSON.stringify({ status, headline, value: soonest[1], unit: "days", table: { columns: ["certificate", "days left", "expires"], rows } }));
