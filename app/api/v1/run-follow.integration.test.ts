/**
 * `POST /runbooks/{slug}/runs?follow=1` through the real route handler and bearer-token resolution:
 * one response carries the run and its live output, refusals before the run exists are ordinary
 * error answers, and a refusal to read the output of a run that now exists comes after the run.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// Only next-auth's own module is replaced (it cannot load outside Next): bearer tokens never reach it.
vi.mock("@/lib/auth/auth", () => ({ auth: async () => null }));

import type { DatabaseHandle } from "@/lib/db";
import { Worker } from "@/lib/executor/worker";
import type { Actor } from "@/lib/services/actor";
import { getRun } from "@/lib/services/runs/get-run";
import { listRuns } from "@/lib/services/runs/list-runs";
import { issueToken } from "@/lib/services/tokens/issue-token";
import { createActor, lastAudit, saveEveryonePolicy, seedRunbooks } from "@/lib/testing/fixtures";
import { openTestDatabase, testDriver } from "@/lib/testing/test-database";
import * as runbookRunsRoute from "./runbooks/[slug]/runs/route";

let handle: DatabaseHandle;
let dispose: () => Promise<void>;
let worker: Worker;
let developer: Actor;
let token: string;

function requestRun(slug: string, body: unknown, query = "?follow=1", bearer = token) {
  const request = new Request(`http://localhost/api/v1/runbooks/${slug}/runs${query}`, {
    method: "POST",
    headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return runbookRunsRoute.POST(request, { params: Promise.resolve({ slug }) });
}

interface StreamEvent {
  event: string;
  id?: string;
  data: Record<string, unknown>;
}

/** Reads Server-Sent Events until `until` says stop or the stream ends (10 s at most). */
async function readEvents(response: Response, until: (events: StreamEvent[]) => boolean = () => false): Promise<StreamEvent[]> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const events: StreamEvent[] = [];
  let text = "";
  const deadline = Date.now() + 10_000;
  while (!until(events)) {
    const chunk = await Promise.race([reader.read(), new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`stream still open: ${text}`)), deadline - Date.now()))]);
    if (chunk.done) break;
    text += decoder.decode(chunk.value, { stream: true });
    const blocks = text.split("\n\n");
    text = blocks.pop() ?? "";
    for (const block of blocks) {
      const fields = Object.fromEntries(block.split("\n").map((row) => [row.slice(0, row.indexOf(":")), row.slice(row.indexOf(":") + 2)]));
      events.push({ event: fields.event ?? "", ...(fields.id ? { id: fields.id } : {}), data: JSON.parse(fields.data ?? "null") as Record<string, unknown> });
    }
  }
  await reader.cancel().catch(() => undefined);
  return events;
}

beforeAll(async () => {
  ({ handle, dispose } = await openTestDatabase());
  await seedRunbooks(handle, {
    "greet.yaml": `slug: greet
title: Greet
owner: platform
risk: low
timeout: 10s
parameters:
  - { name: who, type: string, required: true, pattern: "^[a-z]+$" }
command: ["/bin/sh", "-c", "echo hello $HANDRAIL_PARAM_WHO; sleep 0.1; echo to stderr >&2; sleep 0.1; echo bye"]
`,
    "hidden.yaml": 'slug: hidden\ntitle: Hidden\nowner: payments\nrisk: low\ntimeout: 10s\ncommand: ["/bin/true"]\n',
    "failover.yaml": 'slug: failover\ntitle: Failover\nowner: platform\nrisk: high\ntimeout: 10s\ncommand: ["/bin/true"]\n',
  });
  await saveEveryonePolicy(handle, ["view", "read-output"]);

  developer = await createActor(handle, "developer");
  token = (await issueToken(developer, { label: "follow" })).token;
  worker = new Worker({ handle, concurrency: 2, heartbeatTimeoutSeconds: 30, secretKey: process.env.AUTH_SECRET, outputCapBytes: 1 << 20, pollIntervalMs: 200, takesLocalRuns: true });
  await worker.start();
});
afterAll(async () => {
  await worker?.stop();
  await dispose?.();
});

describe(`request and follow a run in one response (${testDriver})`, () => {
  it("answers 201 with the run, then every line in order, then the end", async () => {
    const response = await requestRun("greet", { params: { who: "world" } });
    expect(response.status).toBe(201);
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const events = await readEvents(response);
    expect(events[0]).toMatchObject({ event: "run", data: { runbook: { slug: "greet" }, status: "running", params: { who: "world" } } });
    const runId = Number(events[0]?.data.id);
    const lines = events.filter((event) => event.event === "line").map((event) => event.data.line);
    expect(lines).toEqual(["hello world", "to stderr", "bye"]);
    expect(events.filter((event) => event.event === "line").map((event) => Number(event.id))).toEqual([1, 2, 3]);
    expect(events.at(-1)).toMatchObject({ event: "end", data: { status: "succeeded", exitCode: 0, finished: true } });
    expect((await getRun(developer, runId)).status).toBe("succeeded");
  });

  it("refuses before the run exists as any run request does: JSON errors, nothing created", async () => {
    const runIds = async () => (await listRuns(developer, {})).runs.map((run) => run.id);
    const before = await runIds();
    const invalid = await requestRun("greet", { params: { who: "NOT VALID" } });
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get("content-type")).toMatch(/json/);
    expect(((await invalid.json()) as { field: string }).field).toBe("params.who");

    // A hidden runbook answers exactly like a missing one.
    const hidden = await requestRun("hidden", { params: {} });
    const missing = await requestRun("no-such-runbook", { params: {} });
    expect(hidden.status).toBe(404);
    expect(((await hidden.json()) as { error: string }).error).toBe('no runbook "hidden"');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: string }).error).toBe('no runbook "no-such-runbook"');

    const badFollow = await requestRun("greet", { params: { who: "world" } }, "?follow=yes");
    expect(badFollow.status).toBe(400);
    expect(await badFollow.json()).toMatchObject({ field: "follow" });
    expect(await runIds()).toEqual(before);
  });

  it("follows a run that waits for approval: the run, its status, and the stream stays open", async () => {
    const operator = await createActor(handle, "operator");
    const operatorToken = (await issueToken(operator, { label: "follow" })).token;
    const response = await requestRun("failover", { params: {}, reason: "follow test", confirm: "failover" }, "?follow=1", operatorToken);
    expect(response.status).toBe(201);
    const events = await readEvents(response, (seen) => seen.some((event) => event.event === "status"));
    expect(events.map((event) => event.event)).toEqual(["run", "status"]);
    expect(events[0]?.data.status).toBe("pending_approval");
    expect(events[1]?.data).toEqual({ status: "pending_approval", exitCode: null, finished: false, pageChanges: 0 });
  });

  it("sends the run, then an error event, when its output may not be read: the request is not failed and repeated", async () => {
    // Runs stay visible, their output does not.
    await saveEveryonePolicy(handle, ["view"]);

    const response = await requestRun("greet", { params: { who: "nobody" } });
    expect(response.status).toBe(201);
    const events = await readEvents(response);
    expect(events.map((event) => event.event)).toEqual(["run", "error"]);
    expect(String(events[1]?.data.error)).toMatch(/read-output/);
    expect(await lastAudit(handle, "run.read-output")).toMatchObject({ outcome: "denied", actorEmail: developer.user.email });
  });
});
