import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../config/env";
import { configuredKeyring, ensureDevSecretKey } from "./configured-keyring";
import { secretKeyId } from "./keyring";

/** Configuration from exactly these variables, as the process would load it. */
const settings = (env: Record<string, string>) => loadConfig({ NODE_ENV: "test", ...env });
const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), "handrail-keyring-"));

describe("configured keyring", () => {
  it("takes HANDRAIL_SECRET_KEY and the comma-separated previous keys", () => {
    const keyring = configuredKeyring(settings({ HANDRAIL_SECRET_KEY: "current-key-0123456789", HANDRAIL_SECRET_KEY_PREVIOUS: "old-key-one-012345, old-key-two-012345", HANDRAIL_DATA_DIR: tempDir() }));
    expect(keyring.currentKeyId).toBe(secretKeyId("current-key-0123456789"));
    expect(keyring.keyIds).toEqual([secretKeyId("current-key-0123456789"), secretKeyId("old-key-one-012345"), secretKeyId("old-key-two-012345")]);
  });

  it("falls back to the development key file only with the embedded database", () => {
    const dataDir = tempDir();
    const embedded = settings({ HANDRAIL_DATA_DIR: dataDir });
    expect(configuredKeyring(embedded).currentKeyId).toBeUndefined();
    const file = ensureDevSecretKey(embedded);
    expect(file).toBe(path.join(dataDir, "secret-key"));
    expect(ensureDevSecretKey(embedded)).toBeUndefined();
    const key = fs.readFileSync(path.join(dataDir, "secret-key"), "utf8");
    expect(configuredKeyring(embedded).currentKeyId).toBe(secretKeyId(key));

    const postgres = settings({ HANDRAIL_DATA_DIR: dataDir, DATABASE_URL: "postgres://localhost/x" });
    expect(configuredKeyring(postgres).currentKeyId).toBeUndefined();
    expect(ensureDevSecretKey(postgres)).toBeUndefined();
    expect(configuredKeyring(settings({ HANDRAIL_DATA_DIR: dataDir, HANDRAIL_SECRET_KEY: "explicit-key-0123456789" })).currentKeyId).toBe(secretKeyId("explicit-key-0123456789"));
  });
});
