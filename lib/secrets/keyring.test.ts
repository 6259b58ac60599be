import { describe, expect, it } from "vitest";
import { secretKeyId, secretKeysFrom } from "./keyring";

const OLD = "old-key-0123456789abcdef";
const NEW = "new-key-fedcba9876543210";

describe("secret keyring", () => {
  it("round-trips a value under the current key, with a fresh IV each time", () => {
    const keyring = secretKeysFrom({ secretKey: NEW, previousSecretKeys: [] });
    const value = "xoxb-123 ünïcode\nsecond line";
    const first = keyring.encrypt("slack-token", value);
    const second = keyring.encrypt("slack-token", value);
    expect(first.keyId).toBe(keyring.currentKeyId);
    expect(first.ciphertext).not.toBe(second.ciphertext);
    expect(first.ciphertext).not.toContain(value);
    expect(keyring.decrypt("slack-token", first)).toBe(value);
  });

  it("publishes a short id that names the key without revealing it", () => {
    const id = secretKeyId(NEW);
    expect(id).toMatch(/^[0-9a-f]{12}$/);
    expect(secretKeyId(NEW)).toBe(id);
    expect(secretKeyId(OLD)).not.toBe(id);
    expect(Buffer.from(NEW).toString("hex")).not.toContain(id);
  });

  it("refuses a tampered ciphertext", () => {
    const keyring = secretKeysFrom({ secretKey: NEW });
    const sealed = keyring.encrypt("db-password", "hunter2-hunter2");
    const [format, iv, tag, body] = sealed.ciphertext.split(".");
    const flipped = Buffer.from(body ?? "", "base64");
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    const tampered = { ...sealed, ciphertext: [format, iv, tag, flipped.toString("base64")].join(".") };
    expect(() => keyring.decrypt("db-password", tampered)).toThrow(/secret db-password could not be decrypted.*altered/);
    expect(() => keyring.decrypt("db-password", { ...sealed, ciphertext: "garbage" })).toThrow(/unrecognised format/);
  });

  it("refuses a ciphertext moved to another name", () => {
    const keyring = secretKeysFrom({ secretKey: NEW });
    const sealed = keyring.encrypt("staging-token", "staging-value");
    expect(() => keyring.decrypt("production-token", sealed)).toThrow(/secret production-token could not be decrypted/);
  });

  it("opens values sealed with a previous key and seals new ones with the current key", () => {
    const before = secretKeysFrom({ secretKey: OLD });
    const sealed = before.encrypt("api-key", "value-under-old-key");
    const after = secretKeysFrom({ secretKey: NEW, previousSecretKeys: [OLD] });
    expect(after.decrypt("api-key", sealed)).toBe("value-under-old-key");
    expect(after.encrypt("api-key", "x").keyId).toBe(secretKeyId(NEW));
    expect(after.keyIds).toEqual([secretKeyId(NEW), secretKeyId(OLD)]);
  });

  it("says which key a value needs when it is not configured", () => {
    const sealed = secretKeysFrom({ secretKey: OLD }).encrypt("api-key", "v");
    const keyring = secretKeysFrom({ secretKey: NEW, previousSecretKeys: [] });
    expect(() => keyring.decrypt("api-key", sealed)).toThrow(
      `secret api-key was sealed with key ${secretKeyId(OLD)}, which is neither HANDRAIL_SECRET_KEY (${secretKeyId(NEW)}) nor in HANDRAIL_SECRET_KEY_PREVIOUS`,
    );
  });

  it("asks for HANDRAIL_SECRET_KEY when none is configured", () => {
    const keyring = secretKeysFrom({ secretKey: undefined });
    expect(keyring.currentKeyId).toBeUndefined();
    expect(() => keyring.encrypt("a", "b")).toThrow(/HANDRAIL_SECRET_KEY must be set/);
    expect(() => keyring.decrypt("a", { ciphertext: "v1.a.b.c", keyId: "abc" })).toThrow(/HANDRAIL_SECRET_KEY must be set/);
  });
});
