import { expect, test } from "@playwright/test";
import { bearer } from "./fixtures";

interface RunJson {
  id: number;
  status: string;
  exitCode: number | null;
  params: Record<string, unknown>;
  runbook: { slug: string; version: string };
  requestedBy: { email: string };
}

test("health needs no token; everything else answers 401 without a valid one", async ({ request }) => {
  expect(await (await request.get("/api/v1/health")).json()).toEqual({ ok: true, isolation: "sandbox" });
  const anonymous = await request.get("/api/v1/runbooks");
  expect(anonymous.status()).toBe(401);
  expect((await anonymous.json()).error).toContain("bearer token");
  expect((await request.get("/api/v1/runs", { headers: { Authorization: "Bearer hr_not-a-token" } })).status()).toBe(401);
});

test("every response refuses framing and sniffing and keeps its URL to itself", async ({ request }) => {
  for (const path of ["/signin", "/api/v1/health"]) {
    const headers = (await request.get(path)).headers();
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("same-origin");
  }
});

test("an oversized body is refused with 413 before it is parsed, on the API and on the sign-in endpoint", async ({ request }) => {
  const reason = "x".repeat(100 * 1024);
  const run = await request.post("/api/v1/runbooks/health-check/runs", { headers: bearer("developer"), data: { params: {}, reason } });
  expect(run.status()).toBe(413);
  expect(await run.json()).toEqual({ error: "request body is larger than 64 KiB" });
  const signIn = await request.post("/api/auth/callback/credentials", {
    form: { email: "developer@handrail.local", password: "x".repeat(200 * 1024) },
    maxRedirects: 0,
  });
  expect(signIn.status()).toBe(413);
  expect((await (await request.get("/api/v1/health")).json()).ok).toBe(true);
});

test("a token runs a runbook, reads it back, streams it with resume, and lists it", async ({ request }) => {
  const runbooks = (await (await request.get("/api/v1/runbooks", { headers: bearer("developer") })).json()) as { runbooks: Array<{ slug: string }> };
  expect(runbooks.runbooks.map((runbook) => runbook.slug)).toContain("health-check");

  const created = await request.post("/api/v1/runbooks/health-check/runs", {
    headers: bearer("developer"),
    data: { params: { service: "web", checks: 2, delay: 0.2 } },
  });
  expect(created.status()).toBe(201);
  const run = (await created.json()) as RunJson;
  expect(run).toMatchObject({ runbook: { slug: "health-check" }, params: { service: "web", checks: 2 }, requestedBy: { email: "developer@handrail.local" } });
  expect(run.runbook.version).toMatch(/^[0-9a-f]{64}$/);

  const stream = await request.get(`/api/v1/runs/${run.id}/stream`, { headers: bearer("developer") });
  expect(stream.headers()["content-type"]).toContain("text/event-stream");
  const events = await stream.text();
  expect(events).toContain("id: 1\nevent: line");
  expect(events).toMatch(/event: end\ndata: \{"status":"succeeded","exitCode":0/);

  const resumed = await (await request.get(`/api/v1/runs/${run.id}/stream`, { headers: { ...bearer("developer"), "Last-Event-ID": "2" } })).text();
  expect(resumed).not.toContain("id: 1\n");
  expect(resumed).not.toContain("id: 2\n");
  expect(resumed).toContain("id: 3\n");

  const text = await (await request.get(`/api/v1/runs/${run.id}/output`, { headers: bearer("auditor") })).text();
  expect(text.split("\n")[0]).toContain("health check for web");
  expect(text).toContain("all 2 checks passed\n");

  const finished = (await (await request.get(`/api/v1/runs/${run.id}`, { headers: bearer("developer") })).json()) as RunJson;
  expect(finished).toMatchObject({ status: "succeeded", exitCode: 0 });

  const listed = (await (await request.get("/api/v1/runs?runbook=health-check&user=developer@handrail.local&limit=5", { headers: bearer("auditor") })).json()) as { runs: RunJson[] };
  expect(listed.runs.map((entry) => entry.id)).toContain(run.id);
  expect(listed.runs.every((entry) => entry.runbook.slug === "health-check")).toBe(true);
});

test("bad input gets a 400 naming the field, and creates no run", async ({ request }) => {
  const before = (await (await request.get("/api/v1/runs?limit=1", { headers: bearer("auditor") })).json()) as { runs: RunJson[] };
  const invalid = await request.post("/api/v1/runbooks/health-check/runs", { headers: bearer("developer"), data: { params: { checks: "lots" } } });
  expect(invalid.status()).toBe(400);
  expect(await invalid.json()).toEqual({ error: "checks must be a whole number", field: "params.checks" });

  const malformed = await request.post("/api/v1/runbooks/health-check/runs", {
    headers: { ...bearer("developer"), "Content-Type": "application/json" },
    data: Buffer.from("{not json"),
  });
  expect(malformed.status()).toBe(400);
  expect(await malformed.json()).toEqual({ error: "request body is not valid JSON", field: "body" });

  const notAnObject = await request.post("/api/v1/runbooks/health-check/runs", { headers: bearer("developer"), data: [1, 2] });
  expect(notAnObject.status()).toBe(400);
  expect((await notAnObject.json()).field).toBe("body");

  const unknown = await request.post("/api/v1/runbooks/health-check/runs", { headers: bearer("developer"), data: { params: { nope: 1 } } });
  expect(await unknown.json()).toEqual({ error: 'unknown parameter "nope"', field: "params.nope" });

  const after = (await (await request.get("/api/v1/runs?limit=1", { headers: bearer("auditor") })).json()) as { runs: RunJson[] };
  expect(after.runs[0]?.id).toBe(before.runs[0]?.id);
});

test("policy refusals are 403 with the rule, unknown things are 404", async ({ request }) => {
  const refused = await request.post("/api/v1/runbooks/rolling-restart/runs", {
    headers: bearer("developer"),
    data: { params: { service: "api", environment: "dev" } },
  });
  expect(refused.status()).toBe(403);
  expect(await refused.json()).toEqual({ error: "no rule lets role developer run runbook rolling-restart" });
  expect((await request.get("/api/v1/runbooks/no-such-runbook", { headers: bearer("developer") })).status()).toBe(404);
  expect((await request.get("/api/v1/runs/999999", { headers: bearer("developer") })).status()).toBe(404);
  expect((await request.get("/api/v1/runs/abc", { headers: bearer("developer") })).status()).toBe(404);
  expect((await request.post("/api/v1/runbooks/no-such-runbook/runs", { headers: bearer("developer"), data: {} })).status()).toBe(404);
});

test("cancel stops a running run; a developer cannot cancel someone else's", async ({ request }) => {
  const created = await request.post("/api/v1/runbooks/health-check/runs", { headers: bearer("operator"), data: { params: { checks: 20, delay: 5 } } });
  const run = (await created.json()) as RunJson;
  const forbidden = await request.post(`/api/v1/runs/${run.id}/cancel`, { headers: bearer("developer") });
  expect(forbidden.status()).toBe(403);
  await expect
    .poll(async () => ((await (await request.get(`/api/v1/runs/${run.id}`, { headers: bearer("operator") })).json()) as RunJson).status)
    .toBe("running");
  expect((await request.post(`/api/v1/runs/${run.id}/cancel`, { headers: bearer("operator") })).status()).toBe(200);
  await expect
    .poll(async () => ((await (await request.get(`/api/v1/runs/${run.id}`, { headers: bearer("operator") })).json()) as RunJson).status)
    .toBe("cancelled");
  const again = await request.post(`/api/v1/runs/${run.id}/cancel`, { headers: bearer("operator") });
  expect(again.status()).toBe(200);

  const quick = (await (await request.post("/api/v1/runbooks/health-check/runs", { headers: bearer("operator"), data: { params: { checks: 1, delay: 0 } } })).json()) as RunJson;
  await expect
    .poll(async () => ((await (await request.get(`/api/v1/runs/${quick.id}`, { headers: bearer("operator") })).json()) as RunJson).status)
    .toBe("succeeded");
  const finished = await request.post(`/api/v1/runs/${quick.id}/cancel`, { headers: bearer("operator") });
  expect(finished.status()).toBe(409);
  expect((await finished.json()).error).toBe(`run ${quick.id} has already finished (succeeded)`);
});
