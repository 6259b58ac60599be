import { asc, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db";
import { auditEvents, runs, runSecrets } from "../../db/schema";
import { Worker } from "../../executor/worker";
import { clearLocalWorker, reserveLocalSlot, setLocalWorker, type LocalWorker } from "../../runs/local-worker";
import { createActor, eventually, runOutputLines, seedRunbooks, waitForRunEnd } from "../../testing/fixtures";
import { openTestDatabase, testDriver } from "../../testing/test-database";
import type { Actor } from "../actor";
import { verifyAuditLog } from "../audit/verify-audit-log";
import { getRun } from "./get-run";
import { requestRun } from "./request-run";

const runbookFiles = {
  "quick.yaml": `
slug: quick
title: Quick
owner: platform
risk: low
timeout: 30s
parameters:
  - { name: password, type: secret, required: false }
command: ["/bin/sh", "-c", "echo hello; echo \\"password=$HANDRAIL_PARAM_PASSWORD\\"; echo length=\${#HANDRAIL_PARAM_PASSWORD}"]
`,
  "hold.yaml": `
slug: hold
title: Holds a lock for a while
owner: platform
risk: low
timeout: 30s
lock: "host:{{host}}"
parameters:
  - { name: host, type: string, required: true }
command: ["/bin/sh", "-c", "echo holding; sleep 1"]
`,
  "silent.yaml": `
slug: silent
title: Prints nothing for a while
owner: platform
risk: low
timeout: 30s
command: ["/bin/sh", "-c", "sleep 1.5"]
`,
  "serial.yaml": `
slug: serial
title: One at a time
owner: platform
risk: low
timeout: 30s
concurrency: 1
command: ["/bin/sh", "-c", "sleep 0.6; echo done"]
`,
};

let handle: DatabaseHandle;
let dispose: () => Promise<void>;
let developer: Actor;
let admin: Actor;

function newWorker(concurrency: number, takesLocalRuns: boolean) {
  return new Worker({ handle, concurrency, heartbeatTimeoutSeconds: 30, secretKey: process.env.AUTH_SECRET, outputCapBytes: 1 << 20, pollIntervalMs: 200, takesLocalRuns });
}

async function auditActionsOf(runId: number) {
  const events = await handle.db
    .select({ action: auditEvents.action, actorType: auditEvents.actorType, actorId: auditEvents.actorId })
    .from(auditEvents)
    .where(eq(auditEvents.subjectId, String(runId)))
    .orderBy(asc(auditEvents.seq));
  return events.filter((event) => event.action.startsWith("run."));
}

beforeAll(async () => {
  ({ handle, dispose } = await openTestDatabase());
  await seedRunbooks(handle, runbookFiles);
  developer = await createActor(handle, "developer");
  admin = await createActor(handle, "admin");
});

afterAll(async () => {
  await dispose?.();
});

describe(`a run requested where a worker runs starts as it is created (${testDriver})`, () => {
  it("answers `running`, records the request and the start in order, and passes a secret from memory only", async () => {
    const worker = newWorker(2, true);
    await worker.start();
    try {
      const run = await requestRun(developer, { slug: "quick", params: { password: "hunter2-secret" } });
      expect(run.status).toBe("running");
      expect(run.queue).toBeUndefined();
      // Never written down, not even sealed: the worker had it from the request.
      expect(await handle.db.select().from(runSecrets).where(eq(runSecrets.runId, run.id))).toEqual([]);
      const ended = await waitForRunEnd(developer, run.id);
      expect(ended.status).toBe("succeeded");
      expect((await runOutputLines(developer, run.id)).map((line) => line.line)).toEqual(["hello", "password=********", "length=14"]);
      expect(await auditActionsOf(run.id)).toEqual([
        { action: "run.requested", actorType: "user", actorId: developer.user.id },
        { action: "run.started", actorType: "system", actorId: worker.id },
        { action: "run.finished", actorType: "system", actorId: worker.id },
      ]);
      expect((await verifyAuditLog(admin)).ok).toBe(true);
    } finally {
      await worker.stop();
    }
  });

  it("records the process of a run that prints nothing within moments, for recovery to find it", async () => {
    const worker = newWorker(2, true);
    await worker.start();
    try {
      const run = await requestRun(developer, { slug: "silent", params: {} });
      expect(run.status).toBe("running");
      const recorded = await eventually(async () => {
        const [row] = await handle.db.select({ status: runs.status, host: runs.processHost, pid: runs.processId }).from(runs).where(eq(runs.id, run.id));
        return row?.pid ? row : undefined;
      }, 1000);
      expect(recorded.status).toBe("running");
      expect(recorded.host).toBeTruthy();
      expect(recorded.pid).toBeGreaterThan(1);
      expect((await waitForRunEnd(developer, run.id)).status).toBe("succeeded");
    } finally {
      await worker.stop();
    }
  });

  it("queues instead when the worker is full, the runbook is at its limit or its lock is held, and each then starts in turn", async () => {
    const worker = newWorker(2, true);
    await worker.start();
    try {
      const holder = await requestRun(developer, { slug: "hold", params: { host: "db1" } });
      expect(holder.status).toBe("running");
      const sameLock = await requestRun(developer, { slug: "hold", params: { host: "db1" } });
      expect(sameLock.status).toBe("queued");
      expect(sameLock.queue?.reason).toBe(`waiting for lock "host:db1" (held by run #${holder.id})`);

      const serial = await requestRun(developer, { slug: "serial", params: {} });
      expect(serial.status).toBe("running");
      // Both slots are taken now: even a run nothing else holds back waits for one.
      const full = await requestRun(developer, { slug: "quick", params: {} });
      expect(full.status).toBe("queued");
      expect(full.queue?.reason).toMatch(/worker/);

      const ended = await Promise.all([holder, sameLock, serial, full].map((run) => waitForRunEnd(developer, run.id)));
      expect(ended.map((run) => run.status)).toEqual(["succeeded", "succeeded", "succeeded", "succeeded"]);
      const [held, waited] = await handle.db
        .select({ id: runs.id, startedAt: runs.startedAt, finishedAt: runs.finishedAt })
        .from(runs)
        .where(inArray(runs.id, [holder.id, sameLock.id]))
        .orderBy(asc(runs.id));
      expect(waited!.startedAt!.getTime()).toBeGreaterThanOrEqual(held!.finishedAt!.getTime());
    } finally {
      await worker.stop();
    }
  });

  it("never jumps the queue: a run that could start waits behind one queued before it", async () => {
    // No worker yet: the first request waits in the queue.
    const first = await requestRun(developer, { slug: "quick", params: {} });
    expect(first.status).toBe("queued");
    // A worker in this process with free slots, which records what it is asked to start.
    const startedHere: number[] = [];
    const offering: LocalWorker = {
      reserveSlot: () => ({ workerId: "offering-worker", start: (run) => void startedHere.push(run.id), release: () => undefined }),
    };
    setLocalWorker(offering);
    let second: Awaited<ReturnType<typeof requestRun>>;
    let third: Awaited<ReturnType<typeof requestRun>>;
    try {
      second = await requestRun(developer, { slug: "quick", params: {} });
      expect(second.status).toBe("queued");
      expect(startedHere).toEqual([]);
    } finally {
      clearLocalWorker(offering);
    }
    const worker = newWorker(2, true);
    await worker.start();
    try {
      expect((await waitForRunEnd(developer, first.id)).status).toBe("succeeded");
      expect((await waitForRunEnd(developer, second.id)).status).toBe("succeeded");
      // Nothing queued any more: the next request starts at once, in this process.
      setLocalWorker(offering);
      try {
        third = await requestRun(developer, { slug: "quick", params: {} });
      } finally {
        clearLocalWorker(offering);
      }
      expect(third.status).toBe("running");
      expect(startedHere).toEqual([third.id]);
    } finally {
      await worker.stop();
    }
    // The offering worker never ran it: end it so later tests find no run left running.
    await handle.db.update(runs).set({ status: "interrupted", finishedAt: new Date() }).where(eq(runs.id, third.id));
  });

  it("leaves runs to the queue when the worker takes no local runs, or has stopped", async () => {
    const queueOnly = newWorker(2, false);
    await queueOnly.start();
    expect(reserveLocalSlot()).toBeUndefined();
    const viaQueue = await requestRun(developer, { slug: "quick", params: {} });
    expect(viaQueue.status).toBe("queued");
    expect((await waitForRunEnd(developer, viaQueue.id)).status).toBe("succeeded");
    await queueOnly.stop();

    const local = newWorker(1, true);
    await local.start();
    await local.stop();
    expect(reserveLocalSlot()).toBeUndefined();
    const afterStop = await requestRun(developer, { slug: "quick", params: {} });
    expect(afterStop.status).toBe("queued");
    const later = newWorker(1, false);
    await later.start();
    try {
      expect((await waitForRunEnd(developer, afterStop.id)).status).toBe("succeeded");
    } finally {
      await later.stop();
    }
  });

  it("gives a slot back when the run it was held for is queued, so the worker still claims from the queue", async () => {
    const worker = newWorker(1, true);
    await worker.start();
    try {
      const serial = await requestRun(developer, { slug: "serial", params: {} });
      expect(serial.status).toBe("running");
      const blocked = await requestRun(developer, { slug: "serial", params: {} });
      expect(blocked.status).toBe("queued");
      const status = await eventually(async () => {
        const run = await getRun(developer, blocked.id);
        return run.status === "queued" ? undefined : run.status;
      });
      expect(["running", "succeeded"]).toContain(status);
      expect((await waitForRunEnd(developer, blocked.id)).status).toBe("succeeded");
    } finally {
      await worker.stop();
    }
  });
});
