import { expect, test } from "@playwright/test";
import { bearer, signIn } from "./fixtures";

test("the auditor reads runbooks and runs but the Run button is disabled with its reason", async ({ page, request }) => {
  const started = await request.post("/api/v1/runbooks/health-check/runs", {
    headers: bearer("developer"),
    data: { params: { checks: 1, delay: 0 } },
  });
  expect(started.status()).toBe(201);
  const run = (await started.json()) as { id: number };

  await signIn(page, "auditor");
  await page.goto("/runbooks/health-check");
  const runButton = page.getByRole("button", { name: "Run", exact: true });
  await expect(runButton).toBeDisabled();
  await expect(page.getByText("no rule lets role auditor run runbook health-check")).toBeVisible();

  await page.goto(`/runs/${run.id}`);
  await expect(page.getByTestId("run-output")).toContainText("all 1 checks passed");

  const refused = await request.post("/api/v1/runbooks/health-check/runs", { headers: bearer("auditor"), data: { params: {} } });
  expect(refused.status()).toBe(403);
  expect(await refused.json()).toEqual({ error: "no rule lets role auditor run runbook health-check" });
});

test("signing in with a wrong password shows an error and pages require a session", async ({ page }) => {
  await page.goto("/runs");
  await expect(page).toHaveURL(/\/signin/);
  await page.getByLabel("Email").fill("developer@handrail.local");
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByText("Wrong email or password")).toBeVisible();
  await expect(page).toHaveURL(/\/signin/);
});

test("a signed-in browser cannot be made to start a run from another site", async ({ page }) => {
  await signIn(page, "developer");
  const crossSite = await page.request.post("/api/v1/runbooks/health-check/runs", {
    headers: { Origin: "https://evil.example", "Content-Type": "application/json" },
    data: { params: {} },
  });
  expect(crossSite.status()).toBe(403);
  expect((await crossSite.json()).error).toContain("cross-site request refused");
  const sameSite = await page.request.post("/api/v1/runbooks/health-check/runs", {
    headers: { Origin: new URL(page.url()).origin, "Content-Type": "application/json" },
    data: { params: { checks: 1, delay: 0 } },
  });
  expect(sameSite.status()).toBe(201);
});

test("a sign-in with a lone surrogate or a NUL in its email fails like any other, and the audit chain stays whole", async ({ request }) => {
  for (const email of ["x\ud800@example.com", "nul\u0000@example.com"]) {
    const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
    const response = await request.post("/api/auth/callback/credentials", {
      headers: { "Content-Type": "application/json" },
      data: JSON.stringify({ csrfToken, email, password: "not the password" }),
      maxRedirects: 0,
    });
    expect(response.status()).toBeLessThan(500);
    expect(response.headers().location ?? "").toContain("error=CredentialsSignin");
  }
  // Recorded as failed sign-ins with the email as sent, the offending characters replaced.
  const recorded = (await (await request.get("/api/v1/audit?action=auth.sign_in&outcome=failure&limit=20", { headers: bearer("admin") })).json()) as {
    events: Array<{ actorEmail: string | null; details: { reason?: string } }>;
  };
  const emails = recorded.events.map((event) => event.actorEmail);
  expect(emails).toContain("x\ufffd@example.com");
  expect(emails).toContain("nul\ufffd@example.com");
  const verify = await request.get("/api/v1/audit/verify", { headers: bearer("admin") });
  expect(await verify.json()).toMatchObject({ ok: true });
});

test("the audit log records the address that connected, never one the client wrote in a header", async ({ request }) => {
  const forged = { "X-Forwarded-For": "203.0.113.9", "X-Real-IP": "203.0.113.10", "X-Handrail-Peer": "198.51.100.7" };
  const email = `forged-${Date.now()}@example.com`;
  const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const signInAttempt = await request.post("/api/auth/callback/credentials", {
    headers: forged,
    form: { csrfToken, email, password: "not the password" },
    maxRedirects: 0,
  });
  expect(signInAttempt.headers().location ?? "").toContain("error=CredentialsSignin");
  const refused = await request.post("/api/v1/runbooks/rolling-restart/runs", {
    headers: { ...bearer("developer"), ...forged },
    data: { params: { service: "api", environment: "dev" } },
  });
  expect(refused.status()).toBe(403);

  type Events = { events: Array<{ actorEmail: string | null; ip: string | null; subjectId: string | null }> };
  const signIns = (await (await request.get(`/api/v1/audit?action=auth.sign_in&outcome=failure&limit=50`, { headers: bearer("admin") })).json()) as Events;
  // Playwright connects over loopback: IPv4 or IPv6, whichever localhost resolves to first.
  const loopback = /^(127\.0\.0\.1|::1)$/;
  expect(signIns.events.find((event) => event.actorEmail === email)?.ip).toMatch(loopback);
  const denials = (await (await request.get(`/api/v1/audit?outcome=denied&limit=20`, { headers: bearer("admin") })).json()) as Events;
  expect(denials.events.find((event) => event.subjectId === "rolling-restart")?.ip).toMatch(loopback);
});
