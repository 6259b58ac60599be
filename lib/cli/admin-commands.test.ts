import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCliInProcess } from "../testing/cli-in-process";

// The commands run in this process (see runCliInProcess), on an embedded database of their own.
process.env.DATABASE_URL = "";
process.env.HANDRAIL_DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "handrail-admin-cli-"));
const handrail = runCliInProcess;

beforeAll(async () => {
  expect((await handrail(["migrate"])).status).toBe(0);
  expect((await handrail(["user", "add", "--email", "dev@example.com", "--name", "Dev", "--role", "developer", "--password", "a long password"])).status).toBe(0);
}, 120_000);

describe("user administration from the CLI", () => {
  it("changes role, deactivates, reactivates, resets password; errors name the field and exit non-zero", async () => {
    const role = await handrail(["user", "set-role", "--email", "DEV@example.com", "--role", "operator"]);
    expect(role.stdout).toContain("dev@example.com is now operator");
    expect(role.status).toBe(0);

    const badRole = await handrail(["user", "set-role", "--email", "dev@example.com", "--role", "root"]);
    expect(badRole.status).toBe(1);
    expect(badRole.stderr).toContain("role must be one of: admin, operator, developer, auditor");

    const deactivated = await handrail(["user", "deactivate", "--email", "dev@example.com"]);
    expect(deactivated.stdout).toContain("deactivated dev@example.com");
    const again = await handrail(["user", "deactivate", "--email", "dev@example.com"]);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain("already deactivated");

    let list = await handrail(["user", "list"]);
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(/dev@example\.com\s+Dev\s+person\s+operator\s+no/);

    expect((await handrail(["user", "activate", "--email", "dev@example.com"])).stdout).toContain("reactivated dev@example.com");
    list = await handrail(["user", "list"]);
    expect(list.stdout).toMatch(/dev@example\.com\s+Dev\s+person\s+operator\s+yes/);

    const reset = await handrail(["user", "reset-password", "--email", "dev@example.com", "--password-stdin"], "another long one\n");
    expect(reset.stdout).toContain("password reset for dev@example.com");
    const short = await handrail(["user", "reset-password", "--email", "dev@example.com", "--password", "short"]);
    expect(short.status).toBe(1);
    expect(short.stderr).toContain("password must be at least 8 characters");

    const missing = await handrail(["user", "deactivate"]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("--email is required");
    const unknown = await handrail(["user", "deactivate", "--email", "ghost@example.com"]);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain("no user with email ghost@example.com");
  }, 120_000);
});

describe("teams from the CLI", () => {
  it("creates teams and manages members", async () => {
    expect((await handrail(["team", "list"])).stdout).toContain("no teams");
    expect((await handrail(["team", "add", "--name", "platform", "--description", "Platform team"])).stdout).toContain("created team platform");
    const duplicate = await handrail(["team", "add", "--name", "platform"]);
    expect(duplicate.status).toBe(1);
    expect(duplicate.stderr).toContain("a team named platform already exists");
    const badName = await handrail(["team", "add", "--name", "Not Valid"]);
    expect(badName.status).toBe(1);
    expect(badName.stderr).toContain("name must be lowercase letters");

    expect((await handrail(["team", "add-member", "--team", "platform", "--email", "dev@example.com"])).stdout).toContain("added dev@example.com to platform");
    expect((await handrail(["team", "list"])).stdout).toMatch(/platform\s+dev@example\.com\s+Platform team/);
    expect((await handrail(["user", "list"])).stdout).toMatch(/dev@example\.com.*platform/);

    expect((await handrail(["team", "remove-member", "--team", "platform", "--email", "dev@example.com"])).status).toBe(0);
    const notMember = await handrail(["team", "remove-member", "--team", "platform", "--email", "dev@example.com"]);
    expect(notMember.status).toBe(1);
    expect(notMember.stderr).toContain("is not a member of team platform");
  }, 120_000);
});

describe("tokens from the CLI", () => {
  it("lists and revokes tokens without ever printing a hash", async () => {
    const created = await handrail(["token", "create", "--email", "dev@example.com", "--label", "ci"]);
    const id = /id ([0-9a-f-]{36})/.exec(created.stdout)?.[1];
    const token = created.stdout.trim().split("\n").at(-1) ?? "";
    expect(id).toBeDefined();

    const list = await handrail(["token", "list", "--email", "dev@example.com"]);
    expect(list.status).toBe(0);
    expect(list.stdout).toContain(id);
    expect(list.stdout).toContain(`${token.slice(0, 10)}…`);
    expect(list.stdout).not.toContain(token);

    expect((await handrail(["token", "revoke", "--id", id ?? ""])).stdout).toContain('revoked token');
    const again = await handrail(["token", "revoke", "--id", id ?? ""]);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain("already revoked");
    const bad = await handrail(["token", "revoke", "--id", "nope"]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("id must be a token id");
  }, 120_000);

  it("creates narrowed, short-lived tokens for people and service accounts; refuses scopes beyond the role", async () => {
    const narrowed = await handrail(["token", "create", "--email", "dev@example.com", "--label", "reader", "--scopes", "read", "--expires-in-days", "7"]);
    expect(narrowed.status).toBe(0);
    expect(narrowed.stdout).toMatch(/scopes read, expires \d{4}-\d{2}-\d{2}/);

    const tooLong = await handrail(["token", "create", "--email", "dev@example.com", "--expires-in-days", "400"]);
    expect(tooLong.status).toBe(1);
    expect(tooLong.stderr).toContain("expiresInDays must be at most 365");
    const unknownScope = await handrail(["token", "create", "--email", "dev@example.com", "--scopes", "read,root"]);
    expect(unknownScope.status).toBe(1);
    expect(unknownScope.stderr).toContain("scopes.1 must be among: read, run, approve, author, admin");

    const account = await handrail(["user", "add-service", "--name", "ci-deploy", "--role", "developer", "--description", "deploy pipeline"]);
    expect(account.status).toBe(0);
    expect(account.stdout).toContain("created service account ci-deploy@service.invalid (developer");
    expect((await handrail(["user", "list"])).stdout).toMatch(/ci-deploy@service\.invalid\s+ci-deploy \(deploy pipeline\)\s+service\s+developer\s+yes/);
    const beyondRole = await handrail(["token", "create", "--email", "ci-deploy@service.invalid", "--scopes", "run,approve"]);
    expect(beyondRole.status).toBe(1);
    expect(beyondRole.stderr).toContain("scopes approve give ci-deploy@service.invalid nothing their rights allow (allowed: read, run, author)");
    const pipeline = await handrail(["token", "create", "--email", "ci-deploy@service.invalid", "--label", "deploy"]);
    expect(pipeline.status).toBe(0);
    expect((await handrail(["token", "list", "--email", "ci-deploy@service.invalid"])).stdout).toMatch(/ci-deploy@service\.invalid \(service\)\s+deploy\s+hr_\S+…\s+read,run,author/);
    const noPassword = await handrail(["user", "reset-password", "--email", "ci-deploy@service.invalid", "--password", "a long password"]);
    expect(noPassword.status).toBe(1);
    expect(noPassword.stderr).toContain("is a service account: it has no password");
  }, 120_000);
});
