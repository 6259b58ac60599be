import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db";
import { auditEvents, schedules } from "../../db/schema";
import { createActor, rejection } from "../../testing/fixtures";
import { openTestDatabase, testDriver, writeRunbookDir } from "../../testing/test-database";
import type { Actor } from "../actor";
import { publishProposal } from "../runbooks/proposals/review-proposal";
import { saveRunbook } from "../runbooks/authoring/save-runbook";
import { syncRunbooks } from "../runbooks/sync-runbooks";
import { deleteSchedule, pauseSchedule, updateSchedule } from "./change-schedule";
import { listSchedules } from "./read-schedules";
import { approveSchedule } from "./approve-schedule";

const certCheck = (schedulesYaml: string) => `slug: cert-check
title: Certificate check
owner: platform
risk: low
timeout: 30s
parameters:
  - { name: host, type: string, pattern: "[a-z.]+", required: true }
command: ["/bin/echo", "checking", "{{host}}"]
${schedulesYaml}`;

describe(`schedules written in a runbook file on ${testDriver}`, () => {
  let handle: DatabaseHandle;
  let dispose: () => Promise<void>;
  let operator: Actor;
  let secondEditor: Actor;
  const system = { type: "system" as const, id: "test" };
  const sync = (yaml: string) => syncRunbooks(handle, writeRunbookDir({ "cert-check.yaml": yaml }), system);
  const live = () => handle.db.select().from(schedules).where(and(eq(schedules.runbookSlug, "cert-check"), isNull(schedules.deletedAt)));

  beforeAll(async () => {
    ({ handle, dispose } = await openTestDatabase());
    operator = await createActor(handle, "operator");
    secondEditor = await createActor(handle, "admin", "second-editor");
  });
  afterAll(async () => dispose?.());

  it("creates, changes and removes a runbook's schedules with its versions; the API may pause one but not change it", async () => {
    const first = await sync(certCheck(`schedules:\n  - { name: nightly, cron: "0 3 * * *", timeZone: Europe/Berlin, owner: ${operator.user.email}, params: { host: example.com } }\n`));
    expect(first.errors).toEqual([]);
    const [created] = await live();
    expect(created).toMatchObject({ name: "nightly", cron: "0 3 * * *", timeZone: "Europe/Berlin", ownerId: operator.user.id, params: { host: "example.com" }, definedIn: "runbook", pausedAt: null });
    const [listed] = await listSchedules(operator);
    expect(listed).toMatchObject({ name: "nightly", definedIn: "runbook", canManage: true });

    const id = String(created?.id);
    expect((await rejection(updateSchedule(operator, id, { cron: "0 4 * * *" }))).code).toBe("conflict");
    expect((await rejection(deleteSchedule(operator, id))).message).toMatch(/defined in runbook cert-check's file/);
    expect((await pauseSchedule(operator, id, { reason: "holding" })).paused?.reason).toBe("holding");

    // The same file again: nothing changes. A changed file: a new revision of the same schedule.
    await sync(certCheck(`schedules:\n  - { name: nightly, cron: "0 3 * * *", timeZone: Europe/Berlin, owner: ${operator.user.email}, params: { host: example.com } }\n`));
    expect((await live())[0]?.revision).toBe(created?.revision);
    // Adding or changing a schedule makes runs happen as its owner: the file's change waits for a second editor.
    const changed = await sync(certCheck(`schedules:\n  - { name: nightly, cron: "0 4 * * *", timeZone: Europe/Berlin, owner: ${operator.user.email}, params: { host: example.com } }\n  - { name: unknown-owner, cron: "0 5 * * *", owner: nobody@example.test, params: { host: a.example } }\n`));
    expect(changed.pendingReview.map((held) => held.loosens)).toEqual([["schedule nightly changed", "schedule unknown-owner added (runs as nobody@example.test, 0 5 * * *)"]]);
    expect((await live())[0]?.cron).toBe("0 3 * * *");
    await publishProposal(secondEditor, changed.pendingReview[0]?.proposal.id ?? "", { comment: "checked the new hour" });
    const after = await live();
    expect(after.map((row) => [row.name, row.cron, row.revision])).toEqual([["nightly", "0 4 * * *", (created?.revision ?? 0) + 1]]);
    const [refused] = await handle.db.select().from(auditEvents).where(eq(auditEvents.action, "schedule.refused"));
    expect(refused?.details).toMatchObject({ schedule: "unknown-owner", reason: "owner nobody@example.test is not a Handrail user" });

    await sync(certCheck(""));
    expect(await live()).toEqual([]);
    const [deleted] = await handle.db.select().from(auditEvents).where(eq(auditEvents.action, "schedule.deleted"));
    expect(deleted?.details).toMatchObject({ name: "nightly", reason: "removed from the runbook", definedIn: "runbook" });
  });

  it("refuses a file whose schedules cannot be kept, naming the field, and loads nothing of it", async () => {
    const report = await syncRunbooks(
      handle,
      writeRunbookDir({
        "bad-cron.yaml": certCheck(`schedules:\n  - { name: nightly, cron: "0 25 * * *", owner: ${operator.user.email}, params: { host: a.example } }\n`).replace("slug: cert-check", "slug: bad-cron"),
        "bad-param.yaml": certCheck(`schedules:\n  - { name: nightly, cron: "0 3 * * *", owner: ${operator.user.email}, params: { hots: a.example } }\n`).replace("slug: cert-check", "slug: bad-param"),
        "both.yaml": certCheck(`schedules:\n  - { name: nightly, cron: "0 3 * * *", runAt: "2027-01-01T00:00:00Z", owner: ${operator.user.email}, params: { host: a.example } }\n`).replace("slug: cert-check", "slug: both"),
      }),
      system,
    );
    expect(report.errors.map((error) => [error.file.split("/").pop(), error.field])).toEqual([
      ["bad-cron.yaml", "schedules.0.cron"],
      ["bad-param.yaml", "schedules.0.params.hots"],
      ["both.yaml", "schedules.0.cron"],
    ]);
  });
  it("refuses schedules in a runbook authored in Handrail (who they run as is not reviewed there): they are made with the API", async () => {
    const yaml = certCheck(`schedules:\n  - { name: nightly, cron: "0 3 * * *", owner: ${secondEditor.user.email}, params: { host: a.example } }\n`).replace("slug: cert-check", "slug: ui-made");
    const refused = await rejection(saveRunbook(operator, { yaml, message: "with a schedule" }));
    expect({ code: refused.code, field: refused.field }).toEqual({ code: "invalid_input", field: "schedules" });
    expect(await handle.db.select().from(schedules).where(eq(schedules.runbookSlug, "ui-made"))).toEqual([]);
  });
  it("a schedule written in the file of a runbook whose runs need approval waits for someone other than its owner to approve it", async () => {
    const drill = certCheck(`schedules:\n  - { name: weekly, cron: "0 6 * * 1", owner: ${operator.user.email}, reason: "weekly drill", params: { host: db.example } }\n`)
      .replace("slug: cert-check", "slug: failover-drill")
      .replace("risk: low", "risk: high");
    expect((await syncRunbooks(handle, writeRunbookDir({ "failover-drill.yaml": drill }), system)).errors).toEqual([]);
    const [weekly] = await handle.db.select().from(schedules).where(eq(schedules.runbookSlug, "failover-drill"));
    expect(weekly).toMatchObject({ approvalsRequired: 1, approvedAt: null });
    expect((await rejection(approveSchedule(operator, String(weekly?.id), {}))).message).toMatch(/four-eyes/);
    const approved = await approveSchedule(secondEditor, String(weekly?.id), {});
    expect(approved.approval).toMatchObject({ required: 1, risk: "high" });
    expect(approved.approval?.approvedAt).not.toBeNull();
  });
});
