import { expect, test } from "@playwright/test";
import { signIn } from "./fixtures";

test("a developer runs a runbook, watches it stream live, reloads, shares the link and finds it in history", async ({ page, browser }) => {
  await signIn(page, "developer");
  await page.getByRole("link", { name: "Runbooks" }).click();
  await expect(page).toHaveURL(/\/runbooks$/);
  await page.getByRole("link", { name: "Service health check" }).click();
  await expect(page).toHaveURL(/\/runbooks\/health-check$/);

  await page.getByLabel("checks").fill("4");
  await page.getByLabel("delay").fill("1.5");
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await expect(page).toHaveURL(/\/runs\/\d+$/);
  const runUrl = page.url();
  const runId = runUrl.split("/").at(-1) ?? "";

  const output = page.getByTestId("run-output");
  // Lines arrive while the process is still running: the first check is shown before the last is printed.
  await expect(output).toContainText("check 1/4");
  await expect(page.locator(".run-title .badge")).toHaveText("running");
  await expect(output).not.toContainText("all 4 checks passed");

  // A second person opens the shared link mid-run and follows along.
  const colleague = await browser.newContext();
  const colleaguePage = await colleague.newPage();
  await signIn(colleaguePage, "operator");
  await colleaguePage.goto(runUrl);
  await expect(colleaguePage.getByTestId("run-output")).toContainText("check 1/4");

  await expect(output).toContainText("all 4 checks passed", { timeout: 30_000 });
  await expect(page.locator(".run-title .badge")).toHaveText("succeeded");
  await expect(page.locator(".facts-grid")).toContainText("Exit code0");
  await expect(page.locator(".facts-grid")).toContainText("Dana Developer");
  await expect(output.locator(".line-stderr")).toContainText("warning:");
  // The record follows without a reload: the digest, and how the run ended.
  await expect(page.getByRole("region", { name: "Run record" })).toContainText(/sha256 [0-9a-f]{64}/);
  await expect(page.getByRole("region", { name: "Run record" })).toContainText("run.finished");
  await expect(colleaguePage.getByTestId("run-output")).toContainText("all 4 checks passed");
  await expect(colleaguePage.getByRole("region", { name: "Run record" })).toContainText(/sha256 [0-9a-f]{64}/);
  await colleague.close();

  // Run again: the form with the same values.
  await page.getByRole("link", { name: "Run again" }).click();
  await expect(page).toHaveURL(/\/runbooks\/health-check\?/);
  await expect(page.getByLabel("checks")).toHaveValue("4");
  await expect(page.getByLabel("delay")).toHaveValue("1.5");

  await page.goto(runUrl);
  await expect(output).toContainText("check 1/4");
  await expect(output).toContainText("all 4 checks passed");
  await expect(output.locator(".line")).toHaveCount(7);

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Runs" }).click();
  await expect(page).toHaveURL(/\/runs$/);
  await page.getByLabel("Runbook").selectOption("health-check");
  await page.getByLabel("Status").selectOption("succeeded");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/runbook=health-check/);
  const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: `#${runId}` }) });
  await expect(row).toContainText("developer@handrail.local");
  await row.getByRole("link", { name: `#${runId}` }).click();
  await expect(page.getByTestId("run-output")).toContainText("all 4 checks passed");

  await page.goto("/runs?status=failed&runbook=health-check");
  await expect(page.getByRole("link", { name: `#${runId}` })).toHaveCount(0);
});

test("the run form checks parameters in the browser and the server names the field", async ({ page }) => {
  await signIn(page, "developer");
  await page.goto("/runbooks/health-check");
  // What each parameter takes is said before anyone gets it wrong.
  await expect(page.getByText("a whole number from 1 to 20")).toBeVisible();
  await expect(page.getByText("a number from 0 to 10")).toBeVisible();
  await page.getByLabel("checks").fill("99");
  await page.getByLabel("delay").fill("-1");
  await page.getByRole("button", { name: "Run", exact: true }).click();
  // Every error at once, not one field at a time.
  await expect(page.getByText("checks must be at most 20")).toBeVisible();
  await expect(page.getByText("delay must be at least 0")).toBeVisible();
  await expect(page).toHaveURL(/\/runbooks\/health-check$/);
});

test("a developer may not run a high-risk runbook and is told why", async ({ page }) => {
  await signIn(page, "developer");
  await page.goto("/runbooks/rolling-restart");
  await expect(page.getByRole("button", { name: "Run", exact: true })).toBeDisabled();
  await expect(page.getByText("no rule lets role developer run runbook rolling-restart")).toBeVisible();
});

test("an operator cancels a running run from its page", async ({ page }) => {
  await signIn(page, "operator");
  await page.goto("/runbooks/health-check");
  await page.getByLabel("checks").fill("20");
  await page.getByLabel("delay").fill("5");
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await expect(page.getByTestId("run-output")).toContainText("check 1/20");
  await page.getByRole("button", { name: "Cancel run" }).click();
  // It asks first; "Keep it" leaves the run alone.
  await page.getByRole("button", { name: "Keep it" }).click();
  await expect(page.locator(".run-title .badge")).toHaveText("running");
  await page.getByRole("button", { name: "Cancel run" }).click();
  await page.getByRole("group", { name: "Confirm cancel" }).getByRole("button", { name: "Yes, cancel the run" }).click();
  await expect(page.locator(".run-title .badge")).toHaveText("cancelled");
  await expect(page.getByTestId("run-output")).toContainText("cancelled: sending SIGTERM");
});
