import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";

/**
 * Encryption for the secret store: AES-256-GCM under a key derived from HANDRAIL_SECRET_KEY.
 * Each row records the id of the key that sealed it, so after a rotation old rows stay readable
 * with the previous key until `handrail secrets rotate` re-seals them. The secret's name is
 * authenticated data: a ciphertext copied onto another name fails to open.
 */

/** What is stored for one secret: never the value, never the key. */
export interface SealedSecret {
  ciphertext: string;
  keyId: string;
}

export interface SecretKeyring {
  /** Id of HANDRAIL_SECRET_KEY, which seals new values; undefined when it is not set. */
  readonly currentKeyId: string | undefined;
  /** Ids of every key that can open a value: the current one first, then the previous ones. */
  readonly keyIds: readonly string[];
  encrypt(name: string, value: string): SealedSecret;
  decrypt(name: string, sealed: SealedSecret): string;
}

export interface SecretKeySettings {
  secretKey: string | undefined;
  previousSecretKeys?: readonly string[] | undefined;
}

const FORMAT = "v1";
const IV_BYTES = 12;

interface DerivedKey {
  id: string;
  key: Buffer;
}

function derive(secret: string): DerivedKey {
  const key = Buffer.from(hkdfSync("sha256", Buffer.from(secret, "utf8"), Buffer.alloc(0), "handrail secret store v1", 32));
  // A digest of the derived key under its own label: it names the key without revealing it.
  const id = createHash("sha256").update("handrail secret key id\0").update(key).digest("hex").slice(0, 12);
  return { id, key };
}

/** The public id of a configured key string, as shown by `handrail secrets list`. */
export function secretKeyId(secret: string): string {
  return derive(secret).id;
}

const aad = (name: string) => Buffer.from(`handrail-secret:${name}`, "utf8");

function seal(key: DerivedKey, name: string, value: string): SealedSecret {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key.key, iv);
  cipher.setAAD(aad(name));
  const body = Buffer.concat([cipher.update(value, "utf8"), cipher.final()]);
  const ciphertext = [FORMAT, ...[iv, cipher.getAuthTag(), body].map((part) => part.toString("base64"))].join(".");
  return { ciphertext, keyId: key.id };
}

function open(key: DerivedKey, name: string, ciphertext: string): string {
  const [format, ...parts] = ciphertext.split(".");
  const [iv, tag, body] = parts.map((part) => Buffer.from(part, "base64"));
  if (format !== FORMAT || parts.length !== 3 || !iv || iv.length !== IV_BYTES || !tag || tag.length !== 16 || !body) {
    throw new Error(`secret ${name} is stored in an unrecognised format`);
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", key.key, iv);
    decipher.setAAD(aad(name));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
  } catch {
    throw new Error(`secret ${name} could not be decrypted with key ${key.id}: the stored value was altered or belongs to another secret`);
  }
}

const NO_KEY = "HANDRAIL_SECRET_KEY must be set to use the secret store (generate one with: openssl rand -base64 32)";

/** The keyring for the given settings. Never throws itself: a missing key is reported when it is needed. */
export function secretKeysFrom(settings: SecretKeySettings): SecretKeyring {
  const current = settings.secretKey ? derive(settings.secretKey) : undefined;
  const byId = new Map<string, DerivedKey>();
  for (const key of [current, ...(settings.previousSecretKeys ?? []).map(derive)]) if (key && !byId.has(key.id)) byId.set(key.id, key);
  return {
    currentKeyId: current?.id,
    keyIds: [...byId.keys()],
    encrypt(name, value) {
      if (!current) throw new Error(NO_KEY);
      return seal(current, name, value);
    },
    decrypt(name, sealed) {
      const key = byId.get(sealed.keyId);
      if (key) return open(key, name, sealed.ciphertext);
      if (!current) throw new Error(NO_KEY);
      throw new Error(
        `secret ${name} was sealed with key ${sealed.keyId}, which is neither HANDRAIL_SECRET_KEY (${current.id}) nor in HANDRAIL_SECRET_KEY_PREVIOUS` +
          (byId.size > 1 ? ` (${[...byId.keys()].slice(1).join(", ")})` : ""),
      );
    },
  };
}
