import { randomBytes } from "node:crypto";
import type { SealedSecret, SecretKeyring } from "../secrets/keyring";

/** A new signing secret: 32 random bytes, prefixed so it is recognisable in a receiver's configuration. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}

/** The keyring name (authenticated data) of a hook's secret: a ciphertext copied onto another hook fails to open. */
const sealedName = (webhookId: string) => `webhook:${webhookId}`;

export function sealWebhookSecret(keyring: SecretKeyring, webhookId: string, secret: string): SealedSecret {
  return keyring.encrypt(sealedName(webhookId), secret);
}

export function openWebhookSecret(keyring: SecretKeyring, webhookId: string, sealed: SealedSecret): string {
  return keyring.decrypt(sealedName(webhookId), sealed);
}
