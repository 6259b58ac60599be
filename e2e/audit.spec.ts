import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { bearer, signIn } from "./fixtures";

test("an auditor filters the timeline, verifies the chain and exports it; the run page shows the run's whole record", async ({ page, request }) => {
  const created = await request.post("/api/v1/runbooks/health-check/runs", { headers: bearer("developer"), data: { params: { checks: 1, delay: 0 } } });
  const run = (await created.json()) as { id: number; runbook: { version: string } };
  await expect.poll(async () => ((await (await request.get(`/api/v1/runs/${run.id}`, { headers: bearer("developer") })).json()) as { status: string }).status).toBe("succeeded");

  await signIn(page, "auditor");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit" }).click();
  await page.getByLabel("Action").fill("run.requested");
  await page.getByLabel("Actor").fill("developer@handrail.local");
  await page.getByRole("button", { name: "Filter" }).click();
  const row = page.getByRole("row").filter({ hasText: `run ${run.id}` });
  await expect(row).toContainText("run.requested");
  await expect(row).toContainText("developer@handrail.local");
  await expect(page.getByRole("row").filter({ hasText: "run.finished" })).toHaveCount(0);

  await page.getByRole("button", { name: "Verify chain" }).click();
  await expect(page.getByRole("region", { name: "Chain verification" })).toContainText("Chain intact");

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export JSON Lines" }).click();
  const file = await (await download).path();
  const lines = fs.readFileSync(file, "utf8").trim().split("\n").map((line) => JSON.parse(line) as { action: string; hash: string; prevHash: string });
  expect(lines.length).toBeGreaterThan(0);
  expect(lines.every((line) => line.action === "run.requested" && /^[0-9a-f]{64}$/.test(line.hash))).toBe(true);

  await page.goto(`/runs/${run.id}`);
  const record = page.getByRole("region", { name: "Run record" });
  for (const action of ["run.requested", "run.started", "run.finished"]) await expect(record).toContainText(action);
  await record.getByRole("link", { name: `health-check @ ${run.runbook.version.slice(0, 12)}` }).click();
  await expect(page.getByText(`sha256 ${run.runbook.version}`)).toBeVisible();
  await expect(page.getByText("Script scripts/health-check.sh")).toBeVisible();
});

test("the audit log is for auditors and admins: others are refused, but see their run's record", async ({ page, request }) => {
  const refused = await request.get("/api/v1/audit", { headers: bearer("developer") });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error).toBe("no rule lets role developer view audit events");
  const verify = await request.get("/api/v1/audit/verify", { headers: bearer("admin") });
  expect(await verify.json()).toMatchObject({ ok: true });

  await signIn(page, "developer");
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit" })).toHaveCount(0);
  await page.goto("/audit");
  await expect(page.getByText("no rule lets role developer view audit events")).toBeVisible();

  const own = (await (await request.post("/api/v1/runbooks/health-check/runs", { headers: bearer("developer"), data: { params: { checks: 1, delay: 0 } } })).json()) as { id: number };
  await page.goto(`/runs/${own.id}`);
  await expect(page.getByRole("region", { name: "Run record" })).toContainText("run.requested");
});

test("walking through the app as a developer and an operator records no denial: the pages' own questions are not attempts", async ({ browser, request }) => {
  const denials = async () =>
    ((await (await request.get("/api/v1/audit?outcome=denied&limit=500", { headers: bearer("auditor") })).json()) as { events: Array<{ id: number; action: string; actor: { email?: string } }> }).events;
  const before = new Set((await denials()).map((event) => event.id));
  const slugs = ((await (await request.get("/api/v1/runbooks", { headers: bearer("developer") })).json()) as { runbooks: Array<{ slug: string }> }).runbooks.map((runbook) => runbook.slug);
  expect(slugs.length).toBeGreaterThan(5);

  for (const role of ["developer", "operator"] as const) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, role);
    for (const path of ["/runbooks", ...slugs.map((slug) => `/runbooks/${slug}`), "/runs", "/approvals", "/proposals", "/tokens", "/access"]) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(200);
    }
    // Whom to ask: anyone who may see a runbook sees who can run it, with their roles.
    await page.goto("/runbooks/rolling-restart");
    const runners = page.getByRole("list", { name: "Who can run this" });
    await expect(runners).toContainText("operator@handrail.local");
    await expect(runners).toContainText("operator");
    await context.close();
  }

  const added = (await denials()).filter((event) => !before.has(event.id));
  expect(added.map((event) => `${event.actor.email} ${event.action}`)).toEqual([]);
});
