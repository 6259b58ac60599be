import { desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db";
import { auditEvents, runbookRevisions, runs } from "../../db/schema";
import type { Actor } from "../actor";
import { Worker } from "../../executor/worker";
import { applied, createActor, lastAudit, rejection, runOutputLines, seedRunbooks, waitForRunEnd } from "../../testing/fixtures";
import { openTestDatabase, testDriver, writeRunbookDir } from "../../testing/test-database";
import { getRun } from "../runs/get-run";
import { requestRun } from "../runs/request-run";
import { getRunbook } from "./get-runbook";
import { getRunbookVersion } from "./get-runbook-version";
import { setRunbookArchived } from "./authoring/archive-runbook";
import { compareRevisions, listRevisions } from "./authoring/history";
import { restoreRevision } from "./authoring/restore-revision";
import { saveRunbook } from "./authoring/save-runbook";
import { proposeRunbook } from "./proposals/propose-runbook";
import { countOpenProposals, getProposal, listProposals } from "./proposals/read-proposals";
import { abilityFor } from "../actor";
import { publishProposal, rejectProposal, withdrawProposal } from "./proposals/review-proposal";
import { loadRunbooksDir } from "../../runbooks/load";
import { exportRunbooks } from "./export-runbooks";
import { syncRunbooks } from "./sync-runbooks";

const greetYaml = (greeting: string, owner = "platform") => `
slug: greet
title: Greet someone
owner: ${owner}
risk: low
timeout: 30s
parameters:
  - { name: name, type: string, required: true }
  - { name: times, type: integer, default: 1, min: 1, max: 3 }
script:
  language: bash
  content: |
    for i in $(seq 1 "$HANDRAIL_PARAM_TIMES"); do echo "${greeting}, $1"; done
args: ["{{name}}"]
`;

const pythonYaml = `
slug: py-hello
title: Python hello
owner: platform
risk: low
timeout: 30s
script:
  content: |
    #!/usr/bin/env python3
    print("hello from", "python")
`;

let handle: DatabaseHandle;
let dispose: () => Promise<void>;
let worker: Worker;
let operator: Actor;
let secondOperator: Actor;
let developer: Actor;

beforeAll(async () => {
  ({ handle, dispose } = await openTestDatabase());
  await seedRunbooks(handle, { "filed.yaml": "slug: filed\ntitle: Filed\nowner: platform\nrisk: low\ntimeout: 10s\ncommand: [\"/bin/true\"]\n" });
  operator = await createActor(handle, "operator");
  secondOperator = await createActor(handle, "operator", "second-operator");
  developer = await createActor(handle, "developer");
  worker = new Worker({ handle, concurrency: 2, heartbeatTimeoutSeconds: 30, secretKey: undefined, outputCapBytes: 1 << 20, pollIntervalMs: 200 });
  await worker.start();
});

afterAll(async () => {
  await worker?.stop();
  await dispose?.();
});

async function runToEnd(actor: Actor, slug: string, params: Record<string, unknown>) {
  const run = await requestRun(actor, { slug, params });
  return { run: await waitForRunEnd(actor, run.id), lines: (await runOutputLines(actor, run.id)).map((line) => line.line) };
}

describe(`runbook authoring on ${testDriver}`, () => {
  it("creates, runs, edits, diffs and restores a runbook; every version immutable and each run pinned to its own", async () => {
    const created = applied(await saveRunbook(operator, { yaml: greetYaml("Hello"), message: "first version" }));
    expect(created).toMatchObject({ slug: "greet", revision: 1, changed: true });
    expect((await lastAudit(handle, "runbook.created"))?.details).toMatchObject({ source: "ui", revision: 1, message: "first version" });

    const first = await runToEnd(developer, "greet", { name: "Ada", times: 2 });
    expect(first.run.status).toBe("succeeded");
    expect(first.lines).toEqual(["Hello, Ada", "Hello, Ada"]);

    const edited = applied(await saveRunbook(operator, { slug: "greet", yaml: greetYaml("Good morning"), message: "friendlier", baseRevision: 1 }));
    expect(edited).toMatchObject({ revision: 2, changed: true });
    expect(edited.versionHash).not.toBe(created.versionHash);
    expect((await runToEnd(developer, "greet", { name: "Ada" })).lines).toEqual(["Good morning, Ada"]);
    // The first run still names the version it ran.
    expect((await getRun(developer, first.run.id)).runbook.version).toBe(created.versionHash);

    const comparison = await compareRevisions(developer, "greet", 1, 2);
    expect(comparison.rows.filter((row) => row.kind !== "same")).toEqual([
      {
        kind: "changed",
        left: expect.objectContaining({ text: expect.stringContaining("Hello") }),
        right: expect.objectContaining({ text: expect.stringContaining("Good morning") }),
      },
    ]);

    const restored = applied(await restoreRevision(operator, "greet", 1, "back to the original wording"));
    expect(restored).toMatchObject({ revision: 3, versionHash: created.versionHash });
    const history = await listRevisions(developer, "greet");
    expect(history.revisions.map((revision) => [revision.number, revision.kind, revision.restoredFrom, revision.current])).toEqual([
      [3, "restored", 1, true],
      [2, "edited", null, false],
      [1, "created", null, false],
    ]);
    expect(history.revisions[0]).toMatchObject({ author: operator.user.email, message: "back to the original wording", versionHash: created.versionHash });
    expect((await getRunbook(developer, "greet")).version).toBe(created.versionHash);

    // History is immutable in the database itself.
    const refused = await handle.db.update(runbookRevisions).set({ message: "rewritten" }).where(eq(runbookRevisions.slug, "greet")).then(
      () => "updated",
      (error: Error & { cause?: Error }) => `${error.message} ${error.cause?.message ?? ""}`,
    );
    expect(refused).toContain("runbook history is immutable");
  });

  it("runs an inline script through its shebang when no language is given", async () => {
    await saveRunbook(operator, { yaml: pythonYaml, message: "python example" });
    expect((await runToEnd(developer, "py-hello", {})).lines).toEqual(["hello from python"]);
  });

  it("refuses bad edits with a clear error, changing nothing", async () => {
    const revisionsBefore = (await listRevisions(operator, "greet")).revisions.length;
    expect((await rejection(saveRunbook(developer, { slug: "greet", yaml: greetYaml("Hi"), message: "sneaky" }))).status).toBe(403);
    expect((await lastAudit(handle, "runbook.edit"))?.outcome).toBe("denied");
    const stale = await rejection(saveRunbook(operator, { slug: "greet", yaml: greetYaml("Hi"), message: "late", baseRevision: 1 }));
    expect([stale.status, stale.message]).toEqual([409, expect.stringContaining("changed since you opened it")]);
    const badField = await rejection(saveRunbook(operator, { slug: "greet", yaml: greetYaml("Hi").replace("risk: low", "risk: extreme"), message: "x" }));
    expect([badField.status, badField.field]).toEqual([400, "risk"]);
    expect((await rejection(saveRunbook(operator, { slug: "greet", yaml: greetYaml("Hi").replace("slug: greet", "slug: other"), message: "x" }))).field).toBe("slug");
    expect((await rejection(saveRunbook(operator, { yaml: greetYaml("Hi"), message: "dupe" }))).status).toBe(409);
    expect((await rejection(saveRunbook(operator, { slug: "greet", yaml: greetYaml("Hi"), message: "  " }))).field).toBe("message");
    const noShebang = pythonYaml.replace("slug: py-hello", "slug: py-two").replace("#!/usr/bin/env python3\n    ", "");
    expect((await rejection(saveRunbook(operator, { yaml: noShebang, message: "x" }))).message).toContain("needs a #! line or a language");
    const filed = await rejection(saveRunbook(operator, { slug: "filed", yaml: "slug: filed\ntitle: F\nowner: platform\nrisk: low\ntimeout: 10s\ncommand: [\"/bin/false\"]\n", message: "x" }));
    expect([filed.status, filed.message]).toEqual([409, expect.stringContaining("is managed by the file")]);
    expect((await listRevisions(operator, "greet")).revisions).toHaveLength(revisionsBefore);
  });

  it("archives a runbook so it cannot run, keeps its history and runs, and brings it back", async () => {
    await setRunbookArchived(operator, "greet", true, "replaced by a better greeter");
    expect((await rejection(requestRun(developer, { slug: "greet", params: { name: "x" } }))).status).toBe(404);
    expect((await listRevisions(developer, "greet")).archived).toBe(true);
    expect((await rejection(saveRunbook(operator, { slug: "greet", yaml: greetYaml("Yo"), message: "x" }))).message).toContain("archived");
    await setRunbookArchived(operator, "greet", false, "still needed");
    expect((await getRunbook(developer, "greet")).archived).toBe(false);
  });

  it("keeps a developer's proposal invisible to runners until another person publishes it", async () => {
    const { id } = await proposeRunbook(developer, { yaml: greetYaml("Hey", "platform").replace("slug: greet", "slug: greet-dev"), message: "a greeter for my team" });
    expect((await rejection(requestRun(developer, { slug: "greet-dev", params: { name: "x" } }))).status).toBe(404);
    expect((await listProposals(developer, "open")).map((proposal) => [proposal.id, proposal.canReview, proposal.canWithdraw])).toEqual([[id, false, true]]);
    expect((await listProposals(operator, "open")).find((proposal) => proposal.id === id)).toMatchObject({ kind: "new", canReview: true });
    for (const person of [developer, operator]) expect(await countOpenProposals(person, await abilityFor(person))).toBe((await listProposals(person, "open")).length);

    // Not by the author: not as a developer, and not after being promoted either.
    const promoted: Actor = { ...developer, user: { ...developer.user, role: "operator" } };
    const selfReview = await rejection(publishProposal(promoted, id));
    expect([selfReview.status, selfReview.message]).toEqual([403, expect.stringContaining("someone else must review it")]);
    expect((await lastAudit(handle, "runbook.proposal_published"))?.outcome).toBe("denied");

    const published = await publishProposal(operator, id, { comment: "looks good" });
    expect(published).toEqual({ slug: "greet-dev", revision: 1 });
    expect((await runToEnd(developer, "greet-dev", { name: "Bo" })).lines).toEqual(["Hey, Bo"]);
    const [revision] = (await listRevisions(developer, "greet-dev")).revisions;
    expect(revision).toMatchObject({ kind: "published", author: developer.user.email, publishedBy: operator.user.email, message: "a greeter for my team" });
    expect((await rejection(publishProposal(secondOperator, id))).status).toBe(409);
  });

  it("reviews a change against its base, rejects with a comment, refuses a stale one, and lets the author withdraw", async () => {
    const change = await proposeRunbook(developer, { slug: "greet", yaml: greetYaml("Howdy"), message: "cowboy edition" });
    const detail = await getProposal(operator, change.id);
    expect(detail.rows.filter((row) => row.kind === "changed")).toHaveLength(1);
    expect((await rejection(rejectProposal(operator, change.id, { comment: "" }))).field).toBe("comment");
    await rejectProposal(operator, change.id, { comment: "not the tone we want" });
    expect(await getProposal(developer, change.id)).toMatchObject({ status: "rejected", reviewComment: "not the tone we want", reviewer: { email: operator.user.email } });

    const stale = await proposeRunbook(developer, { slug: "greet", yaml: greetYaml("Salut"), message: "french" });
    await saveRunbook(operator, { slug: "greet", yaml: greetYaml("Hallo"), message: "german first" });
    expect((await getProposal(operator, stale.id)).stale).toBe(true);
    expect((await rejection(publishProposal(operator, stale.id))).message).toContain("changed after this proposal was drafted");

    expect((await rejection(withdrawProposal(operator, stale.id))).status).toBe(403);
    await withdrawProposal(developer, stale.id);
    expect((await getProposal(developer, stale.id)).status).toBe("withdrawn");
    const auditor = await createActor(handle, "auditor");
    expect((await rejection(getProposal(auditor, stale.id))).status).toBe(404);
    expect((await rejection(proposeRunbook(auditor, { yaml: pythonYaml.replace("py-hello", "py-x"), message: "x" }))).status).toBe(403);
  });

  it("does not let a file sync overwrite a runbook authored in Handrail, and records file changes in the history", async () => {
    const dir = writeRunbookDir({
      "greet.yaml": greetYaml("From a file"),
      "filed.yaml": "slug: filed\ntitle: Filed\nowner: platform\nrisk: low\ntimeout: 10s\ncommand: [\"/bin/echo\", \"v2\"]\n",
    });
    const report = await syncRunbooks(handle, dir, { type: "system", id: "test" });
    expect(report.errors).toEqual([expect.objectContaining({ field: "slug", message: expect.stringContaining("authored in Handrail") })]);
    expect(report.changed).toEqual(["filed"]);
    expect((await getRunbook(developer, "greet")).source).toBe("ui");
    const filed = await listRevisions(developer, "filed");
    expect(filed.revisions.map((revision) => revision.kind)).toEqual(["synced", "synced"]);
    expect(filed.revisions[0]?.author).toBe(`file:${dir}/filed.yaml`);
    const [latest] = await handle.db.select().from(auditEvents).orderBy(desc(auditEvents.id)).limit(1);
    expect(latest?.action).toBe("runbook.updated");
    expect(await handle.db.select({ id: runs.id }).from(runs).where(eq(runs.runbookSlug, "filed"))).toEqual([]);
  });

  it("exports Handrail-authored runbooks as YAML the file loader reads back to the very same versions", async () => {
    const dir = writeRunbookDir({});
    const report = await exportRunbooks(handle, dir, { type: "system", id: "test" }, { overwrite: false });
    expect(report.written.map((file) => file.slice(dir.length + 1)).sort()).toEqual(["greet-dev.yaml", "greet.yaml", "py-hello.yaml"]);
    const loaded = loadRunbooksDir(dir);
    expect(loaded.errors).toEqual([]);
    for (const runbook of loaded.runbooks) expect(runbook.hash).toBe((await getRunbook(operator, runbook.definition.slug)).version);
    expect((await exportRunbooks(handle, dir, { type: "system", id: "test" }, { overwrite: false })).skipped).toHaveLength(3);
  });

  it("keeps each version's YAML as its author wrote it: key order and comments, from the editor and from a file", async () => {
    const written = "# restarts the cache\ntitle: Flush the cache\nslug: flush-cache\nrisk: low\nowner: platform\ncommand: [\"/bin/echo\", \"flushed\"]\ntimeout: 10s\n";
    const saved = await saveRunbook(operator, { yaml: written, message: "new" });
    if (!("versionHash" in saved)) throw new Error("expected a saved runbook");
    expect((await getRunbookVersion(developer, "flush-cache", saved.versionHash)).sourceYaml).toBe(written);

    const fileText = "timeout: 10s\nslug: filed-order\ntitle: Filed in its own order\nowner: platform\nrisk: low\ncommand: [\"/bin/echo\", \"v1\"]\n";
    await syncRunbooks(handle, writeRunbookDir({ "filed-order.yaml": fileText }), { type: "system", id: "test" });
    const filed = await getRunbook(developer, "filed-order");
    expect((await getRunbookVersion(developer, "filed-order", filed.version)).sourceYaml).toBe(fileText);
  });
});
