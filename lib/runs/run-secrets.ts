import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import type { ParamValues } from "../runbooks/params";

/**
 * Secret parameter values wait for their run encrypted (AES-256-GCM) with a key derived from the
 * server secret, and are deleted when the run ends. Every worker shares AUTH_SECRET with the web tier.
 */
function keyFrom(secret: string): Buffer {
  return createHash("sha256").update(`handrail-run-secrets:${secret}`).digest();
}

export function sealSecrets(values: ParamValues, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyFrom(secret), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(values), "utf8"), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((part) => part.toString("base64")).join(".");
}

export function openSecrets(sealed: string, secret: string): ParamValues {
  const [iv, tag, body] = sealed.split(".").map((part) => Buffer.from(part, "base64"));
  if (!iv || !tag || !body) throw new Error("sealed secrets are malformed");
  const decipher = createDecipheriv("aes-256-gcm", keyFrom(secret), iv);
  decipher.setAuthTag(tag);
  return JSON.parse(Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8")) as ParamValues;
}
