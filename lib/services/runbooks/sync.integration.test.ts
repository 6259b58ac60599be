import fs from "node:fs";
import path from "node:path";
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GENESIS_HASH, auditHash } from "../../audit/record";
import type { DatabaseHandle } from "../../db";
import { auditEvents, runbookProposals, runbooks, runbookVersions, users } from "../../db/schema";
import { createActor, rejection } from "../../testing/fixtures";
import { publishProposal } from "./proposals/review-proposal";
import { openTestDatabase, testDriver, writeRunbookDir } from "../../testing/test-database";
import { demoCredentials, ensureDemoUsers } from "../users/ensure-demo-users";
import { signInWithPassword } from "../users/sign-in";
import { formatSyncReport, syncRunbooks } from "./sync-runbooks";

const definition = (slug: string, echo: string) => `
slug: ${slug}
title: ${slug}
owner: platform
risk: low
timeout: 10s
command: ["echo", "${echo}"]
`;

let handle: DatabaseHandle;
let dispose: () => Promise<void>;
const system = { type: "system" as const, id: "test" };

beforeAll(async () => {
  ({ handle, dispose } = await openTestDatabase());
});
afterAll(async () => dispose?.());

describe(`runbook sync on ${testDriver}`, () => {
  it("adds, versions changed content immutably, archives removed files, and keeps a runbook whose file became invalid", async () => {
    const dir = writeRunbookDir({ "a.yaml": definition("alpha", "one"), "b.yaml": definition("beta", "one") });
    expect(await syncRunbooks(handle, dir, system)).toMatchObject({ added: ["alpha", "beta"], changed: [], removed: [] });
    expect(await syncRunbooks(handle, dir, system)).toMatchObject({ added: [], unchanged: ["alpha", "beta"] });

    const [before] = await handle.db.select().from(runbooks).where(eq(runbooks.slug, "alpha"));
    fs.writeFileSync(path.join(dir, "a.yaml"), definition("alpha", "two"));
    fs.writeFileSync(path.join(dir, "b.yaml"), "slug: beta\nrisk: nonsense\n");
    const report = await syncRunbooks(handle, dir, system);
    expect(report).toMatchObject({ changed: ["alpha"], removed: [] });
    expect(report.errors[0]).toMatchObject({ file: path.join(dir, "b.yaml") });

    const versions = await handle.db.select().from(runbookVersions).where(eq(runbookVersions.slug, "alpha"));
    expect(versions.map((version) => version.hash)).toContain(before?.currentVersionHash);
    expect(versions).toHaveLength(2);

    fs.rmSync(path.join(dir, "b.yaml"));
    expect(await syncRunbooks(handle, dir, system)).toMatchObject({ removed: ["beta"] });
    const [beta] = await handle.db.select().from(runbooks).where(eq(runbooks.slug, "beta"));
    expect(beta?.archivedAt).toBeInstanceOf(Date);
  });

  it("creates the demo users only when there are none, and they can sign in", async () => {
    const created = await ensureDemoUsers(handle.db);
    expect(created.map((credential) => credential.email)).toEqual([
      "admin@handrail.local",
      "operator@handrail.local",
      "operator2@handrail.local",
      "developer@handrail.local",
      "auditor@handrail.local",
    ]);
    expect(await ensureDemoUsers(handle.db)).toEqual([]);
    const [developer] = demoCredentials.filter((credential) => credential.role === "developer");
    const user = await signInWithPassword({ email: developer?.email ?? "", password: developer?.password ?? "" });
    expect(user?.role).toBe("developer");
    expect(await signInWithPassword({ email: developer?.email ?? "", password: "wrong" })).toBeNull();
    const [stored] = await handle.db.select().from(users).where(eq(users.email, developer?.email ?? ""));
    expect(stored?.passwordHash).toMatch(/^\$argon2id\$/);
  });

  it("holds a file change that loosens a safety net for another editor, applies it once published, and applies tightening at once", async () => {
    const risky = (risk: string, echo = "drain") => `slug: drain\ntitle: Drain\nowner: platform\nrisk: ${risk}\ntimeout: 10s\ncommand: ["echo", "${echo}"]\n`;
    const dir = writeRunbookDir({ "drain.yaml": risky("high") });
    await syncRunbooks(handle, dir, system);
    const currentHash = async () => (await handle.db.select({ hash: runbooks.currentVersionHash }).from(runbooks).where(eq(runbooks.slug, "drain")))[0]?.hash;
    const highHash = await currentHash();

    fs.writeFileSync(path.join(dir, "drain.yaml"), risky("low"));
    const report = await syncRunbooks(handle, dir, system);
    expect(report).toMatchObject({ changed: [], unchanged: [], pendingReview: [{ slug: "drain", loosens: ["risk high → low", "approvals required 1 → 0"] }] });
    expect(formatSyncReport(report).join("\n")).toContain("pending review: drain loosens risk high → low");
    expect(await currentHash()).toBe(highHash);
    const proposalId = report.pendingReview[0]?.proposal.id ?? "";
    // Syncing the same file again finds the same proposal rather than opening another.
    expect((await syncRunbooks(handle, dir, system)).pendingReview[0]?.proposal.id).toBe(proposalId);

    // Newer content replaces what an earlier sync proposed.
    fs.writeFileSync(path.join(dir, "drain.yaml"), risky("low", "drain gently"));
    const newer = (await syncRunbooks(handle, dir, system)).pendingReview[0]?.proposal.id ?? "";
    expect(newer).not.toBe(proposalId);
    const proposals = await handle.db.select({ id: runbookProposals.id, status: runbookProposals.status }).from(runbookProposals).where(eq(runbookProposals.slug, "drain"));
    expect(Object.fromEntries(proposals.map((proposal) => [proposal.id, proposal.status]))).toEqual({ [proposalId]: "withdrawn", [newer]: "open" });

    // Any editor may publish a change a file made (it has no author in Handrail); it stays file-managed.
    const operator = await createActor(handle, "operator");
    await publishProposal(operator, newer);
    const [published] = await handle.db.select().from(runbooks).where(eq(runbooks.slug, "drain"));
    expect(published).toMatchObject({ risk: "low", source: "file", sourcePath: path.join(dir, "drain.yaml") });
    expect(await syncRunbooks(handle, dir, system)).toMatchObject({ unchanged: expect.arrayContaining(["drain"]), pendingReview: [] });

    // Raising the risk again is tightening: applied by the sync itself.
    fs.writeFileSync(path.join(dir, "drain.yaml"), risky("high", "drain gently"));
    expect(await syncRunbooks(handle, dir, system)).toMatchObject({ changed: ["drain"], pendingReview: [] });

    // Removing the file archives the runbook; adding back a looser one is held like any other loosening.
    fs.rmSync(path.join(dir, "drain.yaml"));
    expect(await syncRunbooks(handle, dir, system)).toMatchObject({ removed: ["drain"] });
    fs.writeFileSync(path.join(dir, "drain.yaml"), risky("low", "back again"));
    const back = await syncRunbooks(handle, dir, system);
    expect(back).toMatchObject({ added: [], changed: [], pendingReview: [{ slug: "drain", loosens: ["risk high → low", "approvals required 1 → 0"] }] });
    const [stillArchived] = await handle.db.select().from(runbooks).where(eq(runbooks.slug, "drain"));
    expect(stillArchived).toMatchObject({ risk: "high" });
    expect(stillArchived?.archivedAt).toBeInstanceOf(Date);
    await publishProposal(operator, back.pendingReview[0]?.proposal.id ?? "");
    const [restored] = await handle.db.select().from(runbooks).where(eq(runbooks.slug, "drain"));
    expect(restored).toMatchObject({ risk: "low", archivedAt: null, source: "file" });
  });

  it("makes the Handrail user who ran a sync the author of what it holds: they cannot publish it, someone else can", async () => {
    const risky = (risk: string) => `slug: purge\ntitle: Purge\nowner: platform\nrisk: ${risk}\ntimeout: 10s\ncommand: ["echo", "purge"]\n`;
    const dir = writeRunbookDir({ "purge.yaml": risky("high") });
    await syncRunbooks(handle, dir, system);
    fs.writeFileSync(path.join(dir, "purge.yaml"), risky("medium"));
    const syncer = await createActor(handle, "operator", "syncer");
    const report = await syncRunbooks(handle, dir, { type: "user", id: syncer.user.id, email: syncer.user.email }, { userId: syncer.user.id });
    const id = report.pendingReview[0]?.proposal.id ?? "";
    expect((await rejection(publishProposal(syncer, id))).message).toContain("someone else must review it");
    await publishProposal(await createActor(handle, "operator", "reviewer"), id);
    const [published] = await handle.db.select().from(runbooks).where(eq(runbooks.slug, "purge"));
    expect(published?.risk).toBe("medium");
  });

  it("chains every audit event to the one before it", async () => {
    const events = await handle.db.select().from(auditEvents).orderBy(asc(auditEvents.id));
    expect(events.length).toBeGreaterThan(5);
    expect(events.map((event) => event.action)).toEqual(expect.arrayContaining(["runbook.created", "runbook.updated", "runbook.archived", "user.created", "auth.sign_in"]));
    const failedSignIn = events.find((event) => event.action === "auth.sign_in" && event.outcome === "failure");
    expect(failedSignIn?.details).toEqual({ reason: "wrong password" });
    let previous = GENESIS_HASH;
    for (const { id: _id, seq: _seq, prevHash, hash, ...content } of events) {
      expect(prevHash).toBe(previous);
      expect(hash).toBe(auditHash(prevHash, content));
      previous = hash;
    }
  });
});
