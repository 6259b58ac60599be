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
