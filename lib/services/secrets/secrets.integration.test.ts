import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db";
import { auditEvents, secrets } from "../../db/schema";
import { secretKeyId, secretKeysFrom } from "../../secrets/keyring";
import { missingSecrets, resolveSecrets } from "../../secrets/store";
import { createActor, lastAudit, rejection, seedRunbooks, seedScopedPolicies } from "../../testing/fixtures";
import { openTestDatabase } from "../../testing/test-database";
import type { Actor } from "../actor";
import { asSystemCaller } from "../caller";
import { deleteSecret } from "./delete-secret";
import { listSecrets } from "./list-secrets";
import { rotateSecrets } from "./rotate-secrets";
import { setSecret } from "./set-secret";

const OLD_KEY = "old-secret-key-for-tests-0123456789";
const NEW_KEY = "new-secret-key-for-tests-9876543210";
const oldKeys = secretKeysFrom({ secretKey: OLD_KEY });
const rotatingKeys = secretKeysFrom({ secretKey: NEW_KEY, previousSecretKeys: [OLD_KEY] });
const newKeys = secretKeysFrom({ secretKey: NEW_KEY });
const cli = asSystemCaller({ type: "system", id: "cli:test" });

const runbook = (slug: string, owner: string, env: string) =>
  `slug: ${slug}\ntitle: ${slug}\nowner: ${owner}\nrisk: low\ntimeout: 10s\ncommand: ["/bin/true"]\nenv:\n${env}`;

let handle: DatabaseHandle;
let dispose: () => Promise<void>;
let admin: Actor;
let operator: Actor;
let developer: Actor;
let auditor: Actor;

beforeAll(async () => {
  ({ handle, dispose } = await openTestDatabase());
  await seedRunbooks(handle, {
    "page.yaml": runbook("page-oncall", "platform", "  PD_TOKEN: { secret: pagerduty-token }\n  REGION: eu-west-1\n"),
    "deploy.yaml": runbook("deploy", "platform", "  PD_TOKEN: { secret: pagerduty-token }\n  GH: { secret: github-token }\n"),
    "refund.yaml": runbook("pay-refund", "payments", "  STRIPE: { secret: stripe-key }\n  PD_TOKEN: { secret: pagerduty-token }\n"),
  });
  await seedScopedPolicies(handle);
  admin = await createActor(handle, "admin");
  operator = await createActor(handle, "operator");
  developer = await createActor(handle, "developer");
  auditor = await createActor(handle, "auditor");
});

afterAll(async () => {
  await dispose();
});

/** Every audit event as text, to prove a value never reached the log in any column. */
async function auditText(): Promise<string> {
  return JSON.stringify(await handle.db.select().from(auditEvents));
}

describe("the secret store", () => {
  it("sets, replaces and lists secrets without ever returning or auditing the value", async () => {
    const first = "pd-value-0001-very-secret";
    const created = await setSecret(admin, { name: "pagerduty-token", value: first, description: "PagerDuty API" }, oldKeys);
    expect(created).toEqual({ name: "pagerduty-token", description: "PagerDuty API", keyId: secretKeyId(OLD_KEY), created: true });
    expect(await lastAudit(handle, "secret.set")).toMatchObject({
      actorEmail: admin.user.email,
      subjectType: "secret",
      subjectId: "pagerduty-token",
      details: { name: "pagerduty-token", created: true, before: null, after: { description: "PagerDuty API", keyId: secretKeyId(OLD_KEY) } },
    });

    const second = "pd-value-0002-replaced";
    const replaced = await setSecret(admin, { name: "pagerduty-token", value: second }, oldKeys);
    expect(replaced).toMatchObject({ created: false, description: "PagerDuty API" });
    expect(await resolveSecrets(handle.db, ["pagerduty-token"], oldKeys)).toEqual({ "pagerduty-token": second });

    const [row] = await handle.db.select().from(secrets).where(eq(secrets.name, "pagerduty-token"));
    expect(row?.ciphertext).not.toContain(second);
    expect(row?.updatedBy).toBe(admin.user.email);

    const list = await listSecrets(admin, oldKeys);
    expect(list.currentKeyId).toBe(secretKeyId(OLD_KEY));
    expect(list.secrets).toEqual([
      expect.objectContaining({ name: "pagerduty-token", description: "PagerDuty API", keyId: secretKeyId(OLD_KEY), key: "current", updatedBy: admin.user.email, usedBy: ["deploy", "page-oncall"] }),
    ]);
    // The fixture policies hide payments runbooks from everyone outside the team: their slugs stay hidden here too.
    expect(list.missing).toEqual([{ name: "github-token", usedBy: ["deploy"] }]);
    const everything = await listSecrets(cli, oldKeys);
    expect(everything.secrets[0]?.usedBy).toEqual(["deploy", "page-oncall", "pay-refund"]);
    expect(everything.missing).toEqual([
      { name: "github-token", usedBy: ["deploy"] },
      { name: "stripe-key", usedBy: ["pay-refund"] },
    ]);
    const listed = JSON.stringify(list);
    const text = await auditText();
    for (const value of [first, second, row?.ciphertext ?? "?"]) {
      expect(listed).not.toContain(value);
      expect(text).not.toContain(value);
    }
  });

  it("refuses bad input naming the field, storing nothing", async () => {
    const cases: Array<[Parameters<typeof setSecret>[1], string]> = [
      [{ name: "", value: "v" }, "name"],
      [{ name: "has space", value: "v" }, "name"],
      [{ name: "-leading-dash", value: "v" }, "name"],
      [{ name: "a".repeat(101), value: "v" }, "name"],
      [{ name: "ok-name", value: "" }, "value"],
      [{ name: "ok-name", value: "x".repeat(64 * 1024 + 1) }, "value"],
      [{ name: "ok-name", value: "é".repeat(32 * 1024 + 1) }, "value"],
      [{ name: "ok-name", value: "nul\0byte" }, "value"],
      [{ name: "ok-name", value: "v", description: "d".repeat(501) }, "description"],
    ];
    for (const [input, field] of cases) expect(await rejection(setSecret(admin, input, oldKeys))).toMatchObject({ code: "invalid_input", field });
    expect(await handle.db.select().from(secrets).where(eq(secrets.name, "ok-name"))).toHaveLength(0);
    expect(await setSecret(admin, { name: "max-size", value: "x".repeat(64 * 1024) }, oldKeys)).toMatchObject({ created: true });
    await deleteSecret(admin, { name: "max-size" });
  });

  it("refuses developers to set or list, auditing each refusal; operators and auditors list but do not set", async () => {
    const setRefused = await rejection(setSecret(developer, { name: "pagerduty-token", value: "developer-attempt-value" }, oldKeys));
    expect(setRefused).toMatchObject({ code: "forbidden", message: "no rule lets role developer manage secret pagerduty-token" });
    expect(await lastAudit(handle, "secret.manage")).toMatchObject({ outcome: "denied", actorEmail: developer.user.email });
    expect(await rejection(listSecrets(developer, oldKeys))).toMatchObject({ code: "forbidden", message: "no rule lets role developer view secrets" });
    expect(await lastAudit(handle, "secret.view")).toMatchObject({ outcome: "denied", actorEmail: developer.user.email });
    expect((await rejection(deleteSecret(developer, { name: "pagerduty-token" }))).code).toBe("forbidden");
    expect((await rejection(rotateSecrets(developer, rotatingKeys))).code).toBe("forbidden");

    expect((await rejection(setSecret(operator, { name: "pagerduty-token", value: "operator-attempt-value" }, oldKeys))).code).toBe("forbidden");
    expect((await rejection(setSecret(auditor, { name: "pagerduty-token", value: "auditor-attempt-value" }, oldKeys))).code).toBe("forbidden");
    const operatorView = await listSecrets(operator, oldKeys);
    expect(operatorView.secrets.map((secret) => [secret.name, secret.usedBy])).toEqual([["pagerduty-token", ["deploy", "page-oncall"]]]);
    expect(operatorView.missing.map((secret) => secret.name)).toEqual(["github-token"]);
    expect((await listSecrets(auditor, oldKeys)).secrets.map((secret) => secret.name)).toEqual(["pagerduty-token"]);

    expect(await resolveSecrets(handle.db, ["pagerduty-token"], oldKeys)).toEqual({ "pagerduty-token": "pd-value-0002-replaced" });
    const text = await auditText();
    for (const value of ["developer-attempt-value", "operator-attempt-value", "auditor-attempt-value"]) expect(text).not.toContain(value);
  });

  it("resolves named secrets for a run, naming every missing one", async () => {
    await setSecret(cli, { name: "github-token", value: "ghp_value" }, oldKeys);
    expect(await lastAudit(handle, "secret.set")).toMatchObject({ actorType: "system", actorId: "cli:test" });
    expect(await missingSecrets(handle.db, ["stripe-key", "github-token", "nope", "stripe-key"])).toEqual(["stripe-key", "nope"]);
    expect(await missingSecrets(handle.db, [])).toEqual([]);
    expect(await resolveSecrets(handle.db, ["github-token", "pagerduty-token", "github-token"], oldKeys)).toEqual({
      "github-token": "ghp_value",
      "pagerduty-token": "pd-value-0002-replaced",
    });
    await expect(resolveSecrets(handle.db, ["github-token", "stripe-key", "nope"], oldKeys)).rejects.toThrow("secrets not set: stripe-key, nope");
    expect(await resolveSecrets(handle.db, [], oldKeys)).toEqual({});
  });

  it("reports a missing key clearly, changing nothing", async () => {
    const none = secretKeysFrom({ secretKey: undefined });
    expect(await rejection(setSecret(admin, { name: "github-token", value: "another" }, none))).toMatchObject({
      code: "conflict",
      message: expect.stringContaining("HANDRAIL_SECRET_KEY must be set"),
    });
    expect((await rejection(rotateSecrets(admin, none))).message).toContain("HANDRAIL_SECRET_KEY must be set");
    expect(await resolveSecrets(handle.db, ["github-token"], oldKeys)).toEqual({ "github-token": "ghp_value" });
  });

  it("rotates every secret to the new key, leaving them readable by the new key alone; again changes nothing", async () => {
    // A new key without the old one as previous cannot open the old rows: nothing changes.
    const refused = await rejection(rotateSecrets(admin, newKeys));
    expect(refused).toMatchObject({ code: "conflict" });
    expect(refused.message).toContain(`was sealed with key ${secretKeyId(OLD_KEY)}, which is neither HANDRAIL_SECRET_KEY (${secretKeyId(NEW_KEY)}) nor in HANDRAIL_SECRET_KEY_PREVIOUS`);
    expect((await handle.db.select({ keyId: secrets.keyId }).from(secrets)).every((row) => row.keyId === secretKeyId(OLD_KEY))).toBe(true);

    expect((await listSecrets(admin, rotatingKeys)).secrets.map((secret) => secret.key)).toEqual(["previous", "previous"]);
    const before = await handle.db.select().from(secrets);
    const report = await rotateSecrets(admin, rotatingKeys);
    expect(report).toEqual({
      keyId: secretKeyId(NEW_KEY),
      rotated: [
        { name: "github-token", from: secretKeyId(OLD_KEY) },
        { name: "pagerduty-token", from: secretKeyId(OLD_KEY) },
      ],
      unchanged: 0,
      webhooks: { rotated: [], unchanged: 0 },
    });
    expect(await lastAudit(handle, "secret.rotated")).toMatchObject({ actorEmail: admin.user.email, details: report });

    const after = await handle.db.select().from(secrets);
    for (const row of after) {
      const old = before.find((candidate) => candidate.name === row.name);
      expect(row.keyId).toBe(secretKeyId(NEW_KEY));
      expect(row.ciphertext).not.toBe(old?.ciphertext);
      expect(row.updatedAt.toISOString()).toBe(old?.updatedAt.toISOString());
    }
    expect(await resolveSecrets(handle.db, ["pagerduty-token", "github-token"], newKeys)).toEqual({
      "pagerduty-token": "pd-value-0002-replaced",
      "github-token": "ghp_value",
    });
    await expect(resolveSecrets(handle.db, ["pagerduty-token"], oldKeys)).rejects.toThrow(/neither HANDRAIL_SECRET_KEY/);
    expect((await listSecrets(admin, newKeys)).secrets.map((secret) => secret.key)).toEqual(["current", "current"]);

    expect(await rotateSecrets(cli, newKeys)).toEqual({ keyId: secretKeyId(NEW_KEY), rotated: [], unchanged: 2, webhooks: { rotated: [], unchanged: 0 } });
    const text = await auditText();
    for (const row of [...before, ...after]) expect(text).not.toContain(row.ciphertext);
  });

  it("deletes a secret, reporting the runbooks that still refer to it", async () => {
    expect(await deleteSecret(admin, { name: "pagerduty-token" })).toEqual({ name: "pagerduty-token", usedBy: ["deploy", "page-oncall", "pay-refund"] });
    expect(await lastAudit(handle, "secret.deleted")).toMatchObject({
      subjectId: "pagerduty-token",
      details: { name: "pagerduty-token", usedBy: ["deploy", "page-oncall", "pay-refund"], after: null },
    });
    expect(await missingSecrets(handle.db, ["pagerduty-token"])).toEqual(["pagerduty-token"]);
    expect(await rejection(deleteSecret(admin, { name: "pagerduty-token" }))).toMatchObject({ code: "not_found", message: "no secret named pagerduty-token" });
    expect(await rejection(deleteSecret(admin, { name: "bad name" }))).toMatchObject({ code: "invalid_input", field: "name" });
    expect((await listSecrets(admin, newKeys)).missing.map((secret) => secret.name)).toEqual(["pagerduty-token"]);
    expect((await listSecrets(cli, newKeys)).missing.map((secret) => secret.name)).toEqual(["pagerduty-token", "stripe-key"]);
  });
});

describe("policies on secret names", () => {
  it("lets a policy grant one secret by name: others are refused, hidden from the list, and block a rotation", async () => {
    const { savePolicyVersion } = await import("../policies/save-policy");
    const keeper = await createActor(handle, "developer", "keeper");
    await savePolicyVersion(
      handle.db,
      {
        document: { name: "ci-token-keeper", attach: { users: [keeper.user.email] }, rules: [{ action: "manage", subject: "Secret", conditions: { name: "ci-token" } }] },
        reason: "test",
        source: "ui",
      },
      { type: "system", id: "test" },
    );
    expect(await setSecret(keeper, { name: "ci-token", value: "ci-value" }, oldKeys)).toMatchObject({ created: true });
    expect(await rejection(setSecret(keeper, { name: "github-token", value: "stolen" }, oldKeys))).toMatchObject({
      code: "forbidden",
      message: expect.stringContaining("no rule lets role developer manage secret github-token"),
    });
    expect((await listSecrets(keeper, newKeys)).secrets.map((secret) => secret.name)).toEqual(["ci-token"]);
    expect(await rejection(rotateSecrets(keeper, rotatingKeys))).toMatchObject({ code: "forbidden", message: expect.stringContaining("secret github-token") });
    expect((await handle.db.select().from(secrets).where(eq(secrets.name, "ci-token")))[0]?.keyId).toBe(secretKeyId(OLD_KEY));
  });
});
