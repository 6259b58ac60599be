import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../../db";
import { auditEvents, runApprovals, runs, users, webhookDeliveries, webhooks } from "../../../db/schema";
import { RUN_EVENTS_CHANNEL } from "../../../runs/channels";
import { expireOverdueApprovals } from "../../../runs/expire-approvals";
import { Worker } from "../../../executor/worker";
import { savePolicyVersion } from "../../policies/save-policy";
import { createActor, eventually, rejection, runOutputLines, seedRunbooks, waitForRunEnd } from "../../../testing/fixtures";
import { openTestDatabase, testDriver } from "../../../testing/test-database";
import type { Actor } from "../../actor";
import { getRun } from "../get-run";
import { requestRun } from "../request-run";
import { decideApproval } from "./decide-approval";
import { listApprovalInbox, listBreakGlassRuns } from "./list-approvals";
import { countWaitingForMe } from "./count-waiting";
import { abilityFor } from "../../actor";
import { reviewBreakGlass } from "./review-break-glass";

const echo = (text: string) => `command: ["/bin/sh", "-c", "echo ${text}:$HANDRAIL_PARAM_TARGET dry=\${HANDRAIL_DRY_RUN:-0} args=$*", "sh"]`;

const files: Record<string, string> = {
  "danger.yaml": `
slug: danger
title: Dangerous
owner: dba
risk: high
timeout: 30s
parameters:
  - { name: target, type: string, required: true }
  - { name: token, type: secret }
${echo("danger")}
`,
  "two-keys.yaml": `
slug: two-keys
title: Needs two approvals
owner: dba
risk: high
timeout: 30s
approval: { required: 2 }
parameters:
  - { name: target, type: string, default: db1 }
${echo("two")}
`,
  "admins-only.yaml": `
slug: admins-only
title: Only admins approve
owner: dba
risk: high
timeout: 30s
approval: { approvers: { roles: [admin] } }
parameters:
  - { name: target, type: string, default: db1 }
${echo("admins")}
`,
  "quick-expiry.yaml": `
slug: quick-expiry
title: Approval expires fast
owner: dba
risk: high
timeout: 30s
approval: { expiresAfter: 1s }
parameters:
  - { name: target, type: string, default: db1 }
${echo("quick")}
`,
  "changing.yaml": `
slug: changing
title: Changes while waiting
owner: dba
risk: high
timeout: 30s
parameters:
  - { name: target, type: string, default: db1 }
${echo("v1")}
`,
  "plain.yaml": `
slug: plain
title: Low risk
owner: platform
risk: low
timeout: 30s
parameters:
  - { name: target, type: string, default: web1 }
${echo("plain")}
`,
  "medium.yaml": `
slug: medium
title: Medium risk
owner: platform
risk: medium
timeout: 30s
parameters:
  - { name: target, type: string, default: web1 }
${echo("medium")}
`,
  "confirm-host.yaml": `
slug: confirm-host
title: Type the host
owner: dba
risk: high
timeout: 30s
approval: { required: 0 }
confirm: target
parameters:
  - { name: target, type: string, required: true }
${echo("confirmed")}
`,
  "dry-param.yaml": `
slug: dry-param
title: Dry run by parameter
owner: dba
risk: high
timeout: 30s
dryRun: { parameter: dry }
parameters:
  - { name: target, type: string, default: db1 }
  - { name: dry, type: boolean, default: false }
command: ["/bin/sh", "-c", "echo dry-param:$HANDRAIL_PARAM_DRY"]
`,
  "dry-args.yaml": `
slug: dry-args
title: Dry run by arguments
owner: platform
risk: medium
timeout: 30s
dryRun: { args: [--dry-run] }
parameters:
  - { name: target, type: string, default: web1 }
${echo("dry-args")}
`,
};

let handle: DatabaseHandle;
let dispose: () => Promise<void>;
let worker: Worker;
let requester: Actor;
let approver: Actor;
let secondApprover: Actor;
let developer: Actor;
let auditor: Actor;
let admin: Actor;

beforeAll(async () => {
  ({ handle, dispose } = await openTestDatabase());
  await seedRunbooks(handle, files);
  requester = await createActor(handle, "operator", "requester");
  approver = await createActor(handle, "operator", "approver");
  secondApprover = await createActor(handle, "operator", "second");
  developer = await createActor(handle, "developer");
  auditor = await createActor(handle, "auditor");
  admin = await createActor(handle, "admin");
  worker = new Worker({ handle, concurrency: 4, heartbeatTimeoutSeconds: 30, secretKey: process.env.AUTH_SECRET, outputCapBytes: 1024 * 1024, pollIntervalMs: 100 });
  await worker.start();
});

afterAll(async () => {
  await worker?.stop();
  await dispose?.();
});

const highRisk = (target = "db1") => ({ params: { target }, reason: "disk almost full", confirm: "danger" });

async function auditActions(runId: number) {
  const events = await handle.db.select().from(auditEvents).where(eq(auditEvents.subjectId, String(runId))).orderBy(auditEvents.id);
  return events.map((event) => `${event.action}:${event.outcome}`);
}

const outputText = async (runId: number) => (await runOutputLines(admin, runId)).map((line) => line.line).join("\n");

describe(`approvals on ${testDriver}`, () => {
  it("holds a high-risk run with its parameters frozen until someone else approves; then it runs", async () => {
    const requested = await requestRun(requester, { slug: "danger", ...highRisk(), params: { target: "db1", token: "hunter2-secret" } });
    expect(requested.status).toBe("pending_approval");
    expect(requested.params).toEqual({ target: "db1", token: "********" });
    expect(requested.approval).toMatchObject({ required: 1, approvers: null });
    expect(new Date(requested.approval?.expiresAt ?? 0).getTime()).toBeGreaterThan(Date.now() + 23 * 3_600_000);
    expect(requested.reason).toBe("disk almost full");

    // The worker never picks it up while it waits.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await getRun(requester, requested.id)).status).toBe("pending_approval");

    const asApprover = await getRun(approver, requested.id);
    expect(asApprover.canApprove).toBe(true);
    const asRequester = await getRun(requester, requested.id);
    expect(asRequester.canApprove).toBe(false);
    expect(asRequester.approvalRefusal).toMatch(/you requested run \d+; someone else must approve/);

    const approved = await decideApproval(approver, requested.id, "approved", { comment: "checked the disk graphs" });
    expect(["queued", "running", "succeeded"]).toContain(approved.status);
    expect(approved.approval?.decisions).toEqual([
      expect.objectContaining({ decision: "approved", comment: "checked the disk graphs", by: expect.objectContaining({ email: approver.user.email }) }),
    ]);
    const finished = await waitForRunEnd(requester, requested.id);
    expect(finished.status).toBe("succeeded");
    expect(await outputText(requested.id)).toContain("danger:db1");
    expect(await auditActions(requested.id)).toEqual(["run.requested:success", "run.approved:success", "run.started:success", "run.finished:success"]);
  });

  it("never lets the requester approve: not directly, not with a second token, not after a promotion", async () => {
    const requested = await requestRun(requester, { slug: "danger", ...highRisk("db2") });
    const attempts: Actor[] = [
      requester,
      { ...requester, via: "cli", tokenId: "00000000-0000-4000-8000-000000000001" },
      { ...requester, user: { ...requester.user, role: "admin" } },
    ];
    for (const attempt of attempts) {
      const refused = await rejection(decideApproval(attempt, requested.id, "approved", { comment: "lgtm" }));
      expect(refused.code).toBe("forbidden");
      expect(refused.message).toMatch(/four-eyes/);
    }
    // Promoted for real in the database, the answer is the same: the rule is the user id.
    await handle.db.update(users).set({ role: "admin" }).where(eq(users.id, requester.user.id));
    try {
      const promoted = { ...requester, user: { ...requester.user, role: "admin" as const } };
      expect((await rejection(decideApproval(promoted, requested.id, "rejected", { comment: "my own" }))).code).toBe("forbidden");
    } finally {
      await handle.db.update(users).set({ role: "operator" }).where(eq(users.id, requester.user.id));
    }
    const denials = await handle.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectId, String(requested.id)), eq(auditEvents.outcome, "denied")));
    expect(denials).toHaveLength(4);
    expect((await getRun(requester, requested.id)).status).toBe("pending_approval");
    expect(await handle.db.select().from(runApprovals).where(eq(runApprovals.runId, requested.id))).toEqual([]);
  });

  it("refuses people policy does not let approve, and approvers outside the runbook's list", async () => {
    const requested = await requestRun(requester, { slug: "danger", ...highRisk("db3") });
    for (const outsider of [developer, auditor]) {
      const refused = await rejection(decideApproval(outsider, requested.id, "approved", {}));
      expect(refused.code).toBe("forbidden");
      expect(refused.message).toMatch(/no rule lets role (developer|auditor) approve run/);
    }
    const adminsOnly = await requestRun(requester, { slug: "admins-only", params: {}, reason: "r", confirm: "admins-only" });
    const refused = await rejection(decideApproval(approver, adminsOnly.id, "approved", {}));
    expect(refused.message).toBe(`approvals for run ${adminsOnly.id} of runbook "admins-only" are limited to role admin`);
    expect((await decideApproval(admin, adminsOnly.id, "approved", {})).status).not.toBe("pending_approval");
  });

  it("needs distinct approvals when the runbook asks for two, and one person counts once", async () => {
    const requested = await requestRun(requester, { slug: "two-keys", params: {}, ticket: "CHG-42", confirm: "two-keys" });
    expect(requested.approval?.required).toBe(2);
    expect((await decideApproval(approver, requested.id, "approved", {})).status).toBe("pending_approval");
    const again = await rejection(decideApproval(approver, requested.id, "approved", {}));
    expect(again.code).toBe("conflict");
    expect(again.message).toMatch(/you already approved/);
    await decideApproval(secondApprover, requested.id, "approved", { comment: "second pair of eyes" });
    expect((await waitForRunEnd(requester, requested.id)).status).toBe("succeeded");
  });

  it("a rejected request never runs, and nobody can approve it afterwards", async () => {
    const requested = await requestRun(requester, { slug: "danger", ...highRisk("db4"), params: { target: "db4", token: "sealed-value" } });
    const noComment = await rejection(decideApproval(approver, requested.id, "rejected", { comment: " " }));
    expect(noComment).toMatchObject({ code: "invalid_input", field: "comment" });
    const rejected = await decideApproval(approver, requested.id, "rejected", { comment: "not during the freeze" });
    expect(rejected.status).toBe("rejected");
    expect(rejected.errorMessage).toContain("not during the freeze");
    expect((await rejection(decideApproval(secondApprover, requested.id, "approved", {}))).code).toBe("conflict");
    await new Promise((resolve) => setTimeout(resolve, 300));
    const after = await getRun(requester, requested.id);
    expect(after.status).toBe("rejected");
    expect(after.startedAt).toBeNull();
    expect(await runOutputLines(admin, requested.id)).toEqual([]);
    const sealed = await handle.db.execute(sql`select count(*)::int as n from run_secrets where run_id = ${requested.id}`);
    expect(JSON.stringify(sealed)).toContain('"n":0');
    expect(await auditActions(requested.id)).toEqual(["run.requested:success", "run.rejected:success"]);
  });

  it("expires requests nobody decided on in time", async () => {
    const late = await requestRun(requester, { slug: "quick-expiry", params: {}, reason: "r", confirm: "quick-expiry" });
    const swept = await requestRun(requester, { slug: "quick-expiry", params: {}, reason: "r", confirm: "quick-expiry" });
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const refused = await rejection(decideApproval(approver, late.id, "approved", {}));
    expect(refused.code).toBe("conflict");
    expect(refused.message).toMatch(/approval expired/);
    expect((await getRun(requester, late.id)).status).toBe("expired");
    // The worker's periodic sweep expires the ones nobody touched.
    const expired = await eventually(async () => {
      await expireOverdueApprovals(handle, "test-sweep", "http://handrail.test");
      const run = await getRun(requester, swept.id);
      return run.status === "expired" ? run : undefined;
    });
    expect(expired.errorMessage).toMatch(/approval expired/);
    expect(await auditActions(swept.id)).toEqual(["run.requested:success", "run.expired:failure"]);
  });

  it("a new version of the runbook invalidates requests waiting for the old one, and tells the run's viewers at once", async () => {
    const requested = await requestRun(requester, { slug: "changing", params: {}, reason: "r", confirm: "changing" });
    const told: string[] = [];
    const unsubscribe = await handle.subscribe(RUN_EVENTS_CHANNEL, (payload) => told.push(payload));
    await seedRunbooks(handle, { ...files, "changing.yaml": files["changing.yaml"]!.replace("echo v1", "echo v2") });
    await eventually(async () => told.includes(String(requested.id)) || undefined);
    await unsubscribe();
    const run = await getRun(requester, requested.id);
    expect(run.status).toBe("expired");
    expect(run.errorMessage).toMatch(/runbook "changing" changed to version [0-9a-f]{12} after this request/);
    expect((await rejection(decideApproval(approver, requested.id, "approved", {}))).code).toBe("conflict");
  });

  it("removing a runbook's file expires the requests still waiting for it, as archiving it does", async () => {
    const doomed = files["changing.yaml"]!.replace("slug: changing", "slug: doomed");
    await seedRunbooks(handle, { ...files, "doomed.yaml": doomed });
    const requested = await requestRun(requester, { slug: "doomed", params: {}, reason: "r", confirm: "doomed" });
    expect(requested.status).toBe("pending_approval");
    await seedRunbooks(handle, files);
    const run = await getRun(requester, requested.id);
    expect(run.status).toBe("expired");
    expect(run.errorMessage).toMatch(/archived/);
    expect((await rejection(decideApproval(approver, requested.id, "approved", {}))).code).toBe("conflict");
  });

  it("refuses to lower the risk, and raising it to high asks for approval and a confirmation", async () => {
    const lowered = await rejection(requestRun(requester, { slug: "medium", params: {}, risk: "low", reason: "x" }));
    expect(lowered).toMatchObject({ code: "invalid_input", field: "risk" });
    expect(lowered.message).toMatch(/cannot be lowered below the runbook's own risk \(medium\)/);

    const unconfirmed = await rejection(requestRun(developer, { slug: "plain", params: {}, risk: "high", reason: "touching prod" }));
    expect(unconfirmed).toMatchObject({ code: "invalid_input", field: "confirm" });
    const raised = await requestRun(developer, { slug: "plain", params: {}, risk: "high", reason: "touching prod", confirm: "plain" });
    expect(raised.status).toBe("pending_approval");
    expect(raised.risk).toBe("high");
    expect(raised.runbook.risk).toBe("low");
    const events = await handle.db.select().from(auditEvents).where(and(eq(auditEvents.subjectId, String(raised.id)), eq(auditEvents.action, "run.requested")));
    expect(events[0]?.details).toMatchObject({ risk: "high", raisedFrom: "low", reason: "touching prod" });
  });

  it("requires a reason or a ticket for medium and high risk, and a well-formed ticket", async () => {
    const missing = await rejection(requestRun(developer, { slug: "medium", params: {} }));
    expect(missing).toMatchObject({ code: "invalid_input", field: "reason" });
    expect(missing.message).toBe("a medium-risk run needs a reason or a ticket reference (incident or change id)");
    const badTicket = await rejection(requestRun(developer, { slug: "medium", params: {}, ticket: "INC 12" }));
    expect(badTicket).toMatchObject({ code: "invalid_input", field: "ticket" });
    expect((await requestRun(developer, { slug: "medium", params: {}, ticket: "INC-1234" })).ticket).toBe("INC-1234");
    expect((await requestRun(developer, { slug: "plain", params: {} })).status).not.toBe("pending_approval");
    expect(await handle.db.select().from(runs).where(eq(runs.ticket, "INC 12"))).toEqual([]);
  });

  it("asks for the runbook's confirmation value on high risk: the slug, or the named parameter's value", async () => {
    const wrong = await rejection(requestRun(requester, { slug: "confirm-host", params: { target: "db-prod-1" }, reason: "r", confirm: "confirm-host" }));
    expect(wrong).toMatchObject({ code: "invalid_input", field: "confirm" });
    expect(wrong.message).toBe('does not match: type the value of target "db-prod-1" exactly to confirm this high-risk run');
    const confirmed = await requestRun(requester, { slug: "confirm-host", params: { target: "db-prod-1" }, reason: "r", confirm: "db-prod-1" });
    expect(confirmed.status).not.toBe("pending_approval");
    expect((await waitForRunEnd(requester, confirmed.id)).status).toBe("succeeded");
  });

  it("a policy rule can allow a run only with approval; a rule that allows it outright wins", async () => {
    const system = { type: "system" as const, id: "test" };
    await savePolicyVersion(
      handle.db,
      {
        document: {
          name: "default-developer",
          attach: { roles: ["developer"] },
          rules: [
            { action: "run", subject: "Runbook", conditions: { risk: "low" } },
            { action: "run", subject: "Runbook", conditions: { risk: "medium" }, requireApproval: true },
          ],
        },
        reason: "medium risk needs an operator",
        source: "ui",
      },
      system,
    );
    const held = await requestRun(developer, { slug: "medium", params: {}, reason: "rotate logs" });
    expect(held.status).toBe("pending_approval");
    expect(held.approval?.required).toBe(1);
    expect((await decideApproval(approver, held.id, "approved", {})).status).not.toBe("pending_approval");
    expect((await waitForRunEnd(developer, held.id)).status).toBe("succeeded");
    expect((await requestRun(developer, { slug: "plain", params: {} })).status).not.toBe("pending_approval");
    await savePolicyVersion(
      handle.db,
      {
        document: { name: "default-developer", attach: { roles: ["developer"] }, rules: [{ action: "run", subject: "Runbook", conditions: { risk: { $in: ["low", "medium"] } } }] },
        reason: "back to the default",
        source: "ui",
      },
      system,
    );
    expect((await requestRun(developer, { slug: "medium", params: {}, reason: "rotate logs" })).status).not.toBe("pending_approval");
  });

  it("break-glass runs at once for those policy allows, with a justification and an incident, and waits for someone else's review", async () => {
    const refused = await rejection(
      requestRun(developer, { slug: "medium", params: {}, reason: "x", breakGlass: { justification: "production is down right now", incident: "INC-9" } }),
    );
    expect(refused.code).toBe("forbidden");
    expect(refused.message).toMatch(/no rule lets role developer break-glass runbook medium/);
    const noIncident = await rejection(requestRun(requester, { slug: "danger", ...highRisk(), breakGlass: { justification: "production is down right now", incident: "" } }));
    expect(noIncident).toMatchObject({ code: "invalid_input", field: "breakGlass.incident" });
    const unconfirmed = await rejection(
      requestRun(requester, { slug: "danger", params: { target: "db9" }, breakGlass: { justification: "production is down right now", incident: "INC-9" } }),
    );
    expect(unconfirmed.field).toBe("confirm");

    const broken = await requestRun(requester, {
      slug: "danger",
      params: { target: "db9" },
      confirm: "danger",
      breakGlass: { justification: "production is down right now", incident: "INC-9" },
    });
    expect(broken.status).not.toBe("pending_approval");
    expect(broken.breakGlass).toEqual({ justification: "production is down right now", incident: "INC-9", review: null });
    expect(broken.reason).toBe("production is down right now");
    expect(broken.ticket).toBe("INC-9");
    expect((await waitForRunEnd(requester, broken.id)).status).toBe("succeeded");
    expect(await auditActions(broken.id)).toEqual(expect.arrayContaining(["run.requested:success", "run.break_glass:success"]));

    const queue = await listBreakGlassRuns(approver, { reviewed: false });
    expect(queue.map((run) => run.id)).toContain(broken.id);
    expect(queue.find((run) => run.id === broken.id)?.canReviewBreakGlass).toBe(true);
    const self = await rejection(reviewBreakGlass(requester, broken.id, { comment: "all fine" }));
    expect(self.code).toBe("forbidden");
    expect((await rejection(reviewBreakGlass(developer, broken.id, { comment: "looked" }))).code).toBe("forbidden");
    const reviewed = await reviewBreakGlass(approver, broken.id, { comment: "checked the incident timeline" });
    expect(reviewed.breakGlass?.review).toMatchObject({ comment: "checked the incident timeline", by: expect.objectContaining({ email: approver.user.email }) });
    expect((await listBreakGlassRuns(approver, { reviewed: false })).map((run) => run.id)).not.toContain(broken.id);
    expect((await listBreakGlassRuns(approver, { reviewed: true })).map((run) => run.id)).toContain(broken.id);
    expect((await rejection(reviewBreakGlass(secondApprover, broken.id, { comment: "again" }))).code).toBe("conflict");
  });

  it("dry runs need no approval, run the script in its dry-run mode, and are attached to the real request", async () => {
    const none = await rejection(requestRun(developer, { slug: "plain", params: {}, dryRun: true }));
    expect(none).toMatchObject({ code: "invalid_input", field: "dryRun" });

    const byParameter = await requestRun(requester, { slug: "dry-param", params: {}, dryRun: true });
    expect(byParameter.status).not.toBe("pending_approval");
    expect(byParameter.params).toMatchObject({ dry: true });
    expect((await waitForRunEnd(requester, byParameter.id)).status).toBe("succeeded");
    expect(await outputText(byParameter.id)).toContain("dry-param:true");

    const real = await requestRun(requester, { slug: "dry-param", params: {}, reason: "apply it", confirm: "dry-param" });
    expect(real.status).toBe("pending_approval");
    expect(real.params).toMatchObject({ dry: false });
    expect(real.attachedDryRunId).toBe(byParameter.id);

    const byArgs = await requestRun(developer, { slug: "dry-args", params: { target: "web7" }, dryRun: true });
    expect(byArgs.argv.at(-1)).toBe("--dry-run");
    expect((await waitForRunEnd(developer, byArgs.id)).status).toBe("succeeded");
    expect(await outputText(byArgs.id)).toContain("dry-args:web7 dry=1 args=--dry-run");

    const otherParams = await rejection(requestRun(requester, { slug: "dry-param", params: { target: "db2" }, reason: "r", confirm: "dry-param", dryRunId: byParameter.id }));
    expect(otherParams).toMatchObject({ code: "invalid_input", field: "dryRunId" });
    expect(otherParams.message).toBe(`run ${byParameter.id} used different parameters`);
  });

  it("lists the requests a person can decide on apart from the ones they cannot", async () => {
    const mine = await requestRun(requester, { slug: "danger", ...highRisk("db-inbox") });
    const forApprover = await listApprovalInbox(approver);
    expect(forApprover.toDecide.map((run) => run.id)).toContain(mine.id);
    const forRequester = await listApprovalInbox(requester);
    expect(forRequester.toDecide.map((run) => run.id)).not.toContain(mine.id);
    expect(forRequester.waiting.find((run) => run.id === mine.id)?.approvalRefusal).toMatch(/four-eyes/);
    expect((await listApprovalInbox(developer)).toDecide).toEqual([]);

    // The nav's count follows the same rules as the inbox and the break-glass queue.
    for (const person of [approver, requester, developer]) {
      const [inbox, glass] = await Promise.all([listApprovalInbox(person), listBreakGlassRuns(person, { reviewed: false })]);
      const expected = inbox.toDecide.length + glass.filter((run) => run.canReviewBreakGlass).length;
      expect({ person: person.user.email, count: await countWaitingForMe(person, await abilityFor(person)) }).toEqual({ person: person.user.email, count: expected });
    }
    expect(await countWaitingForMe(approver, await abilityFor(approver))).toBeGreaterThan(0);
  });

  it("keeps approval decisions append-only in the database", async () => {
    const [decision] = await handle.db.select().from(runApprovals).limit(1);
    expect(decision).toBeDefined();
    const refusal = (statement: ReturnType<typeof sql>) =>
      handle.db.execute(statement).then(
        () => "changed",
        (error: Error & { cause?: Error }) => `${error.message} ${error.cause?.message ?? ""}`,
      );
    expect(await refusal(sql`update run_approvals set decision = 'rejected' where id = ${decision!.id}`)).toContain("approval decisions are append-only");
    expect(await refusal(sql`delete from run_approvals where id = ${decision!.id}`)).toContain("approval decisions are append-only");
  });

  it("queues webhook notifications with the change they describe, secrets masked", async () => {
    const [hook] = await handle.db
      .insert(webhooks)
      .values({ name: "dba-pager", url: "http://127.0.0.1:9/unused", events: ["run.approval_needed", "run.approved", "run.finished"], owner: "dba", secretCiphertext: "x", secretKeyId: "k", createdBy: "test" })
      .returning();
    const [other] = await handle.db
      .insert(webhooks)
      .values({ name: "platform", url: "http://127.0.0.1:9/unused", events: ["run.approval_needed"], owner: "platform", secretCiphertext: "x", secretKeyId: "k", createdBy: "test" })
      .returning();
    try {
      const requested = await requestRun(requester, { slug: "danger", ...highRisk("db-hook"), params: { target: "db-hook", token: "very-secret-token" } });
      await decideApproval(approver, requested.id, "approved", {});
      await waitForRunEnd(requester, requested.id);
      const deliveries = await handle.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.runId, requested.id)).orderBy(webhookDeliveries.id);
      expect(deliveries.map((delivery) => `${delivery.webhookId === hook!.id ? "dba" : "other"}:${delivery.event}`)).toEqual([
        "dba:run.requested",
        "dba:run.approval_needed",
        "dba:run.approved",
        "dba:run.finished",
      ]);
      expect(JSON.stringify(deliveries)).not.toContain("very-secret-token");
      expect(deliveries[1]?.payload).toMatchObject({ event: "run.approval_needed", run: { id: requested.id, params: { token: "********" }, reason: "disk almost full" } });
    } finally {
      await handle.db.update(webhooks).set({ active: false }).where(eq(webhooks.id, hook!.id));
      await handle.db.update(webhooks).set({ active: false }).where(eq(webhooks.id, other!.id));
    }
  });
});
