import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db";
import { auditEvents, runs, scheduleFires, schedules, users, webhookDeliveries, webhooks } from "../../db/schema";
import { createActor, rejection, seedRunbooks, seedScopedPolicies } from "../../testing/fixtures";
import { openTestDatabase, testDriver } from "../../testing/test-database";
import type { Actor } from "../actor";
import { deleteSchedule, pauseSchedule, resumeSchedule, updateSchedule } from "./change-schedule";
import { approveSchedule } from "./approve-schedule";
import { createSchedule } from "./create-schedule";
import { fireDueSchedules } from "./fire-due";
import { getSchedule, listSchedules } from "./read-schedules";
import { getRun } from "../runs/get-run";
import { verifyAuditLog } from "../audit/verify-audit-log";

const runbook = (slug: string, body: string, risk = "low", owner = "platform") => `slug: ${slug}\ntitle: ${slug}\nowner: ${owner}\nrisk: ${risk}\ntimeout: 30s\n${body}`;

const runbookFiles = {
  "cert-check.yaml": runbook("cert-check", `parameters:\n  - { name: host, type: string, pattern: "[a-z.]+", required: true }\ncommand: ["/bin/echo", "checking", "{{host}}"]\n`),
  "cleanup.yaml": runbook("cleanup", `command: ["/bin/echo", "cleaning"]\n`, "medium"),
  "promote-db.yaml": runbook("promote-db", `command: ["/bin/echo", "promoted"]\n`, "high"),
  "pay-report.yaml": runbook("pay-report", `command: ["/bin/echo", "payments"]\n`, "low", "payments"),
  "with-secret.yaml": runbook("with-secret", `parameters:\n  - { name: token, type: secret }\ncommand: ["/bin/true"]\n`),
  "rotate-keys.yaml": runbook("rotate-keys", `command: ["/bin/echo", "rotated"]\n`),
};

const at = (iso: string) => new Date(iso);

describe(`schedules on ${testDriver}`, () => {
  let handle: DatabaseHandle;
  let dispose: () => Promise<void>;
  let operator: Actor;
  let secondOperator: Actor;
  let developer: Actor;
  let auditor: Actor;
  let admin: Actor;

  beforeAll(async () => {
    ({ handle, dispose } = await openTestDatabase());
    await seedRunbooks(handle, runbookFiles);
    await seedScopedPolicies(handle);
    operator = await createActor(handle, "operator");
    secondOperator = await createActor(handle, "operator", "second-operator");
    developer = await createActor(handle, "developer");
    auditor = await createActor(handle, "auditor");
    admin = await createActor(handle, "admin");
  });

  afterAll(async () => {
    await dispose?.();
  });

  const runsOf = (scheduleId: number) => handle.db.select().from(runs).where(eq(runs.scheduleId, scheduleId)).orderBy(asc(runs.id));
  const firesOf = (scheduleId: number) => handle.db.select().from(scheduleFires).where(eq(scheduleFires.scheduleId, scheduleId)).orderBy(asc(scheduleFires.fireAt));
  const auditOf = (scheduleId: number, action: string) =>
    handle.db.select().from(auditEvents).where(and(eq(auditEvents.subjectType, "schedule"), eq(auditEvents.subjectId, String(scheduleId)), eq(auditEvents.action, action)));

  it("refuses a schedule it could not keep, naming the field, and creates nothing", async () => {
    const now = at("2026-12-04T10:00:00Z");
    const base = { runbook: "cert-check", name: "nightly", cron: "0 3 * * *", params: { host: "example.com" } };
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ ...base, cron: "61 * * * *" }, "invalid_input", "cron"],
      [{ ...base, cron: "* * * * * *" }, "invalid_input", "cron"],
      [{ ...base, timeZone: "Mars/Olympus" }, "invalid_input", "timeZone"],
      [{ ...base, runAt: "2026-12-05T08:00:00Z" }, "invalid_input", "runAt"],
      [{ ...base, cron: undefined, runAt: "2026-12-01T08:00:00Z" }, "invalid_input", "runAt"],
      [{ ...base, params: { host: "$(reboot)" } }, "invalid_input", "host"],
      [{ ...base, name: "Nightly Run" }, "invalid_input", "name"],
      [{ ...base, runbook: "with-secret", params: { token: "hunter2" } }, "invalid_input", "params.token"],
      [{ ...base, runbook: "cleanup", params: {} }, "invalid_input", "reason"],
      [{ ...base, extra: 1 }, "invalid_input", "extra"],
    ];
    for (const [input, code, field] of cases) {
      const error = await rejection(createSchedule(operator, input as never, now));
      expect({ input, code: error.code, field: error.field }).toMatchObject({ code, field: expect.stringContaining(field) });
    }
    const unconfirmed = await rejection(createSchedule(operator, { ...base, runbook: "promote-db", params: {}, reason: "nightly promotion drill" }, now));
    expect(unconfirmed.field).toBe("confirm");
    expect(await handle.db.select().from(schedules)).toEqual([]);
  });

  it("answers a hidden runbook exactly like a missing one, and refuses (and audits) an owner who may not run it", async () => {
    const now = at("2026-12-04T10:00:00Z");
    const hidden = await rejection(createSchedule(operator, { runbook: "pay-report", name: "daily", cron: "0 3 * * *" }, now));
    const missing = await rejection(createSchedule(operator, { runbook: "no-such-runbook", name: "daily", cron: "0 3 * * *" }, now));
    expect([hidden.code, missing.code]).toEqual(["not_found", "not_found"]);
    expect(hidden.message).toBe(missing.message.replace("no-such-runbook", "pay-report"));
    const refused = await rejection(createSchedule(auditor, { runbook: "cert-check", name: "daily", cron: "0 3 * * *", params: { host: "a.example" } }, now));
    expect(refused.code).toBe("forbidden");
    const [denial] = await handle.db.select().from(auditEvents).where(and(eq(auditEvents.action, "runbook.run"), eq(auditEvents.outcome, "denied"), eq(auditEvents.actorEmail, auditor.user.email)));
    expect(denial?.details).toMatchObject({ schedule: true });
  });

  it("fires each due time exactly once, however many callers race for it, as a run requested by its owner", async () => {
    const [hook] = await handle.db
      .insert(webhooks)
      .values({ name: "every request", url: "https://hooks.example.test/all", events: ["run.requested"], owner: null, secretCiphertext: "x", secretKeyId: "k", createdBy: "test" })
      .returning();
    const created = await createSchedule(operator, { runbook: "cert-check", name: "every-five", cron: "*/5 * * * *", params: { host: "example.com" }, overlap: "allow" }, at("2026-12-04T10:02:00Z"));
    expect(created.nextFireAt).toBe("2026-12-04T10:05:00.000Z");
    expect(created.upcoming).toEqual(["10:05", "10:10", "10:15", "10:20", "10:25"].map((time) => `2026-12-04T${time}:00.000Z`));
    expect(await fireDueSchedules(at("2026-12-04T10:04:59Z"))).toEqual([]);

    const due = at("2026-12-04T10:05:00.300Z");
    const results = await Promise.all([fireDueSchedules(due), fireDueSchedules(due), fireDueSchedules(due)]);
    expect(results.flat().filter((result) => result.kind === "run")).toHaveLength(1);
    // The same fire time again (a second process a moment later, a clock set back): nothing more.
    await fireDueSchedules(due);
    await fireDueSchedules(at("2026-12-04T09:00:00Z"));
    const [run, ...more] = await runsOf(created.id);
    expect(more).toEqual([]);
    expect(run).toMatchObject({ runbookSlug: "cert-check", requestedBy: operator.user.id, requestedVia: "schedule", params: { host: "example.com" }, scheduledFor: at("2026-12-04T10:05:00Z") });
    expect(await firesOf(created.id)).toMatchObject([{ fireAt: at("2026-12-04T10:05:00Z"), outcome: "run", runId: run?.id }]);
    const schedule = await getSchedule(operator, String(created.id));
    expect(schedule).toMatchObject({ nextFireAt: "2026-12-04T10:10:00.000Z", lastFire: { at: "2026-12-04T10:05:00.000Z", outcome: "run", runId: run?.id } });
    const [requested] = await handle.db.select().from(auditEvents).where(and(eq(auditEvents.action, "run.requested"), eq(auditEvents.subjectId, String(run?.id))));
    expect(requested?.details).toMatchObject({ via: "schedule", schedule: created.id, scheduledFor: "2026-12-04T10:05:00.000Z" });
    expect((await getRun(operator, run?.id ?? 0)).schedule).toEqual({ id: created.id, scheduledFor: "2026-12-04T10:05:00.000Z" });
    const [event] = await handle.db.select().from(webhookDeliveries).where(and(eq(webhookDeliveries.webhookId, hook?.id ?? ""), eq(webhookDeliveries.runId, run?.id ?? 0)));
    expect(event?.payload).toMatchObject({ event: "run.requested", run: { id: run?.id, schedule: { id: created.id, scheduledFor: "2026-12-04T10:05:00.000Z" } } });
  });

  it("after downtime, notes the missed fires and runs at the next time (skip), or runs once now (runOnce)", async () => {
    const start = at("2026-12-04T12:01:00Z");
    const skip = await createSchedule(operator, { runbook: "cert-check", name: "skip-missed", cron: "*/5 * * * *", params: { host: "a.example" } }, start);
    const catchUp = await createSchedule(operator, { runbook: "cert-check", name: "catch-up", cron: "*/5 * * * *", params: { host: "b.example" }, misfire: "runOnce" }, start);
    // Nothing ran from 12:01 to 13:02: twelve fire times passed (12:05 … 13:00).
    await fireDueSchedules(at("2026-12-04T13:02:00Z"));
    expect(await runsOf(skip.id)).toEqual([]);
    const [missed] = await auditOf(skip.id, "schedule.missed");
    expect(missed?.details).toMatchObject({ policy: "skip", missed: 12, first: "2026-12-04T12:05:00.000Z", last: "2026-12-04T13:00:00.000Z", next: "2026-12-04T13:05:00.000Z" });
    expect((await getSchedule(operator, String(skip.id))).nextFireAt).toBe("2026-12-04T13:05:00.000Z");

    const caughtUp = await runsOf(catchUp.id);
    expect(caughtUp).toHaveLength(1);
    expect(caughtUp[0]?.scheduledFor).toEqual(at("2026-12-04T13:00:00Z"));
    const [noted] = await auditOf(catchUp.id, "schedule.missed");
    expect(noted?.details).toMatchObject({ policy: "runOnce", missed: 11, catchUp: "2026-12-04T13:00:00.000Z" });
    expect((await getSchedule(operator, String(catchUp.id))).nextFireAt).toBe("2026-12-04T13:05:00.000Z");
  });

  it("skips a fire while the previous one's run is still going (overlap: skip), or queues it behind (queue)", async () => {
    const start = at("2026-12-04T14:01:00Z");
    const skipping = await createSchedule(operator, { runbook: "cert-check", name: "no-overlap", cron: "*/5 * * * *", params: { host: "c.example" } }, start);
    const queueing = await createSchedule(operator, { runbook: "cert-check", name: "queue-overlap", cron: "*/5 * * * *", params: { host: "d.example" }, overlap: "queue" }, start);
    // No worker runs here: each run stays queued, so the next fire finds the previous one still going.
    await fireDueSchedules(at("2026-12-04T14:05:01Z"));
    await fireDueSchedules(at("2026-12-04T14:10:01Z"));
    expect(await runsOf(skipping.id)).toHaveLength(1);
    expect((await firesOf(skipping.id)).map((fire) => fire.outcome)).toEqual(["run", "skipped"]);
    expect((await firesOf(skipping.id))[1]?.message).toMatch(/still queued \(overlap: skip\)/);
    const queued = await runsOf(queueing.id);
    expect(queued.map((run) => run.lockKey)).toEqual([`schedule:${queueing.id}`, `schedule:${queueing.id}`]);
  });

  it("refuses a fire its owner may no longer make, pauses the schedule, audits it and tells the owners' webhooks", async () => {
    const [hook] = await handle.db
      .insert(webhooks)
      .values({ name: "platform alerts", url: "https://hooks.example.test/x", events: ["schedule.paused"], owner: "platform", secretCiphertext: "x", secretKeyId: "k", createdBy: "test" })
      .returning();
    const owner = await createActor(handle, "operator", "leaver");
    const created = await createSchedule(owner, { runbook: "cert-check", name: "leaver-check", cron: "0 * * * *", params: { host: "e.example" } }, at("2026-12-04T15:30:00Z"));
    await handle.db.update(users).set({ active: false }).where(eq(users.id, owner.user.id));
    const results = await fireDueSchedules(at("2026-12-04T16:00:00Z"));
    expect(results).toContainEqual({ kind: "refused", message: expect.stringContaining("no longer active") });
    expect(await runsOf(created.id)).toEqual([]);
    const schedule = await getSchedule(operator, String(created.id));
    expect(schedule.paused?.reason).toMatch(/no longer active/);
    expect(schedule.lastFire).toMatchObject({ outcome: "refused" });
    expect(await auditOf(created.id, "schedule.fire_refused")).toHaveLength(1);
    const deliveries = await handle.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, hook?.id ?? ""));
    expect(deliveries.map((delivery) => delivery.payload)).toMatchObject([{ event: "schedule.paused", schedule: { id: created.id, runbook: { slug: "cert-check" }, reason: expect.stringContaining("no longer active") } }]);
    // Paused: later fire times start nothing until someone resumes it.
    await fireDueSchedules(at("2026-12-04T17:00:00Z"));
    expect(await runsOf(created.id)).toEqual([]);

    // An owner whose role no longer allows the run is refused the same way, the denial audited as theirs.
    const demoted = await createActor(handle, "operator", "demoted");
    const second = await createSchedule(demoted, { runbook: "cleanup", name: "demoted-cleanup", cron: "0 * * * *", reason: "weekly tidy-up" }, at("2026-12-04T15:30:00Z"));
    await handle.db.update(users).set({ role: "auditor" }).where(eq(users.id, demoted.user.id));
    await fireDueSchedules(at("2026-12-04T16:00:10Z"));
    expect((await getSchedule(operator, String(second.id))).paused?.reason).toMatch(/refused/);
    const denials = await handle.db.select().from(auditEvents).where(and(eq(auditEvents.actorEmail, demoted.user.email), eq(auditEvents.outcome, "denied")));
    expect(denials.map((denial) => denial.details)).toMatchObject([{ via: "schedule" }]);
  });

  it("an edit before the fire time applies to that fire; one a moment after it, to the next (the due fire keeps the schedule as it stood)", async () => {
    const created = await createSchedule(operator, { runbook: "cert-check", name: "edited", cron: "0 * * * *", params: { host: "old.example" }, overlap: "allow" }, at("2026-12-04T18:30:00Z"));
    await updateSchedule(operator, String(created.id), { params: { host: "new.example" } }, at("2026-12-04T18:59:58Z"));
    await fireDueSchedules(at("2026-12-04T19:00:00.200Z"));
    // Due at 20:00, edited at 20:00:00.4 before any scheduler saw it: the 20:00 fire is the old one.
    await updateSchedule(operator, String(created.id), { params: { host: "newest.example" } }, at("2026-12-04T20:00:00.400Z"));
    await fireDueSchedules(at("2026-12-04T20:00:01Z"));
    await fireDueSchedules(at("2026-12-04T21:00:00.100Z"));
    const fired = await runsOf(created.id);
    expect(fired.map((run) => [run.scheduledFor?.toISOString().slice(11, 16), run.params.host])).toEqual([
      ["19:00", "new.example"],
      ["20:00", "new.example"],
      ["21:00", "newest.example"],
    ]);
    const [edit] = await auditOf(created.id, "schedule.updated");
    expect(edit?.details).toMatchObject({ before: { params: { host: "old.example" }, revision: 1 }, after: { params: { host: "new.example" }, revision: 2 } });
  });

  it("lets anyone who may run the runbook pause a schedule, but only its owner or an admin change, resume or delete it", async () => {
    const created = await createSchedule(operator, { runbook: "cert-check", name: "guarded", cron: "0 4 * * *", params: { host: "f.example" } }, at("2026-12-04T10:00:00Z"));
    const id = String(created.id);
    expect((await rejection(updateSchedule(secondOperator, id, { cron: "0 5 * * *" }))).code).toBe("forbidden");
    expect((await rejection(resumeSchedule(developer, id))).code).toBe("forbidden");
    expect((await rejection(deleteSchedule(secondOperator, id))).code).toBe("forbidden");
    expect((await rejection(pauseSchedule(auditor, id, {}))).code).toBe("forbidden");
    const readOnlyToken: Actor = { ...operator, tokenId: "00000000-0000-0000-0000-000000000000", scopes: ["read"] };
    expect((await rejection(updateSchedule(readOnlyToken, id, { cron: "0 5 * * *" }))).code).toBe("forbidden");
    expect((await rejection(getSchedule(operator, "1e3"))).code).toBe("not_found");
    expect((await rejection(updateSchedule(operator, id, { cron: "0 5 * * *", runAt: "2027-01-01T00:00:00Z" }))).field).toBe("runAt");

    const paused = await pauseSchedule(secondOperator, id, { reason: "incident INC-7: hold all cert checks" });
    expect(paused.paused?.reason).toBe("incident INC-7: hold all cert checks");
    const resumed = await resumeSchedule(operator, id, at("2026-12-05T04:30:00Z"));
    expect(resumed).toMatchObject({ paused: null, nextFireAt: "2026-12-06T04:00:00.000Z" });
    expect((await auditOf(created.id, "schedule.paused")).map((event) => event.actorEmail)).toEqual([secondOperator.user.email]);
    expect((await handle.db.select().from(auditEvents).where(and(eq(auditEvents.action, "schedule.manage"), eq(auditEvents.outcome, "denied")))).length).toBeGreaterThanOrEqual(3);

    await deleteSchedule(admin, id);
    expect((await rejection(getSchedule(operator, id))).code).toBe("not_found");
  });

  it("lists only the schedules of runbooks the caller may view", async () => {
    const payments = await createActor(handle, "operator", "payments-operator");
    payments.user.teams = ["payments"];
    await createSchedule(payments, { runbook: "pay-report", name: "daily", cron: "0 6 * * *" }, at("2026-12-04T10:00:00Z"));
    const names = async (actor: Actor) => (await listSchedules(actor)).map((schedule) => `${schedule.runbook}/${schedule.name}`);
    expect(await names(payments)).toContain("pay-report/daily");
    expect(await names(operator)).not.toContain("pay-report/daily");
    expect(await names(operator)).toContain("cert-check/every-five");
  });
  it("a schedule of a runbook whose runs need approval fires only once someone else approves it, and again after each new version", async () => {
    const created = await createSchedule(
      operator,
      { runbook: "promote-db", name: "drill", cron: "0 * * * *", reason: "weekly failover drill", confirm: "promote-db", overlap: "allow" },
      at("2026-12-04T21:30:00Z"),
    );
    const id = String(created.id);
    expect(created.approval).toEqual({ required: 1, approvedAt: null, version: null, risk: null });
    await fireDueSchedules(at("2026-12-04T22:00:00.100Z"));
    expect(await runsOf(created.id)).toEqual([]);

    // Four-eyes: not its owner, not someone policy does not let approve; each refusal audited.
    expect((await rejection(approveSchedule(operator, id, {}))).message).toMatch(/four-eyes/);
    expect((await rejection(approveSchedule(developer, id, {}))).code).toBe("forbidden");
    expect((await handle.db.select().from(auditEvents).where(and(eq(auditEvents.action, "schedule.approved"), eq(auditEvents.outcome, "denied")))).length).toBe(2);
    const approved = await approveSchedule(secondOperator, id, { comment: "drill agreed with the DBAs" });
    expect(approved.approval?.approvedAt).not.toBeNull();
    expect((await rejection(approveSchedule(admin, id, {}))).code).toBe("conflict");

    // Approved within the 22:00 fire's grace: it fires, and its run does not wait for a run approval.
    await fireDueSchedules(at("2026-12-04T22:00:30Z"));
    const [run] = await runsOf(created.id);
    expect(run).toMatchObject({ status: "queued", approvalsRequired: 0, requestedBy: operator.user.id, reason: "weekly failover drill" });
    const [requested] = await handle.db.select().from(auditEvents).where(and(eq(auditEvents.action, "run.requested"), eq(auditEvents.subjectId, String(run?.id))));
    expect(requested?.details).toMatchObject({ approvedWithSchedule: true });

    // A new version of the runbook: the approval no longer covers it; nothing fires until someone approves again.
    await seedRunbooks(handle, { ...runbookFiles, "promote-db.yaml": runbook("promote-db", `command: ["/bin/echo", "promoted, v2"]\n`, "high") });
    await fireDueSchedules(at("2026-12-04T23:00:00.100Z"));
    await fireDueSchedules(at("2026-12-04T23:00:00.200Z"));
    expect(await runsOf(created.id)).toHaveLength(1);
    expect((await getSchedule(operator, id)).approval?.approvedAt).toBeNull();
    expect(await auditOf(created.id, "schedule.approval_lapsed")).toHaveLength(1);
    await approveSchedule(secondOperator, id, {});
    await fireDueSchedules(at("2026-12-04T23:00:40Z"));
    expect((await runsOf(created.id)).map((fired) => fired.scheduledFor?.toISOString())).toEqual(["2026-12-04T22:00:00.000Z", "2026-12-04T23:00:00.000Z"]);

    // Changing it is a new revision, approved afresh.
    expect((await rejection(updateSchedule(operator, id, { cron: "30 * * * *" }, at("2026-12-05T01:10:00Z")))).field).toBe("confirm");
    const edited = await updateSchedule(operator, id, { cron: "30 * * * *", confirm: "promote-db" }, at("2026-12-05T01:10:00Z"));
    expect(edited.approval?.approvedAt).toBeNull();
  });
  it("a schedule whose runs came to need approval (a new version raised the risk) starts none unapproved: it waits until someone else approves it", async () => {
    const created = await createSchedule(operator, { runbook: "rotate-keys", name: "monthly", cron: "0 * * * *", reason: "monthly key rotation", overlap: "allow" }, at("2026-12-06T09:30:00Z"));
    expect(created.approval).toBeNull();
    await seedRunbooks(handle, { ...runbookFiles, "rotate-keys.yaml": runbook("rotate-keys", `command: ["/bin/echo", "rotated, v2"]\n`, "high") });
    const results = await fireDueSchedules(at("2026-12-06T10:00:00.100Z"));
    expect(results).toContainEqual({ kind: "refused", message: expect.stringContaining("rotate-keys now need an approval") });
    expect(await runsOf(created.id)).toEqual([]);
    const waiting = await getSchedule(operator, String(created.id));
    expect(waiting.approval).toMatchObject({ required: 1, approvedAt: null });
    expect(await auditOf(created.id, "schedule.approval_lapsed")).toHaveLength(1);
    // Its owner cannot wave it through; someone else can, and the next fire runs without a run approval.
    expect((await rejection(approveSchedule(operator, String(created.id), {}))).message).toMatch(/four-eyes/);
    await approveSchedule(secondOperator, String(created.id), {});
    await fireDueSchedules(at("2026-12-06T10:00:30Z"));
    const [run, ...more] = await runsOf(created.id);
    expect(more).toEqual([]);
    expect(run).toMatchObject({ status: "queued", risk: "high", approvalsRequired: 0, scheduledFor: at("2026-12-06T10:00:00Z") });
  });

  it("fires many schedules due at the same moment in batches: one run, fire, audit event and webhook event each, the audit chain intact", async () => {
    const [hook] = await handle.db
      .insert(webhooks)
      .values({ name: "scheduled runs", url: "https://hooks.example.test/many", events: ["run.requested"], owner: null, secretCiphertext: "x", secretKeyId: "k", createdBy: "test" })
      .returning();
    const dueAt = at("2026-12-07T03:00:00Z");
    const count = 130;
    // A host name of letters only, as cert-check's pattern wants: 0 -> a, 27 -> bb.
    const hostOf = (index: number) => [...index.toString(26)].map((digit) => String.fromCharCode(97 + parseInt(digit, 26))).join("") + ".example";
    const made = await handle.db
      .insert(schedules)
      .values(Array.from({ length: count }, (_, index) => ({ runbookSlug: "cert-check", name: `many-${index}`, runAt: dueAt, timeZone: "UTC", params: { host: hostOf(index) }, ownerId: operator.user.id, nextFireAt: dueAt })))
      .returning({ id: schedules.id });
    const results = await fireDueSchedules(at("2026-12-07T03:00:00.500Z"));
    expect(results.filter((result) => result.kind === "run")).toHaveLength(count);
    const ids = made.map((row) => row.id);
    const fired = (await handle.db.select().from(runs).where(eq(runs.requestedVia, "schedule"))).filter((run) => ids.includes(run.scheduleId ?? 0));
    expect(new Set(fired.map((run) => run.scheduleId)).size).toBe(count);
    expect(fired.every((run) => run.params.host === hostOf(ids.indexOf(run.scheduleId ?? 0)))).toBe(true);
    const fires = (await handle.db.select().from(scheduleFires)).filter((fire) => ids.includes(fire.scheduleId));
    expect(fires.map((fire) => fire.runId).sort()).toEqual(fired.map((run) => run.id).sort());
    const left = (await handle.db.select().from(schedules)).filter((row) => ids.includes(row.id) && row.nextFireAt !== null);
    expect(left).toEqual([]);
    const requested = (await handle.db.select().from(auditEvents).where(eq(auditEvents.action, "run.requested"))).filter((event) => fired.some((run) => String(run.id) === event.subjectId));
    expect(requested).toHaveLength(count);
    expect(requested.every((event) => event.actorEmail === operator.user.email && (event.details as { via?: string }).via === "schedule")).toBe(true);
    const deliveries = await handle.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, hook?.id ?? ""));
    expect(deliveries).toHaveLength(count);
    expect(await verifyAuditLog(auditor)).toMatchObject({ ok: true });
    // Nothing fires twice.
    expect(await fireDueSchedules(at("2026-12-07T03:00:01Z"))).toEqual([]);
  });

});
