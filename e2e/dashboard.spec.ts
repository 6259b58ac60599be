import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./fixtures";

const views = ["service-health", "certificate-expiry", "disk-space"];

/** Reloads until every demo view shows a result; a view with none and nothing under way is refreshed once. */
async function waitForResults(page: Page): Promise<void> {
  const refreshed = new Set<string>();
  await expect(async () => {
    await page.reload();
    for (const slug of views) {
      const panel = page.locator(`[data-panel="${slug}"]`);
      if ((await panel.getByTestId("panel-empty").count()) > 0 && !(await panel.getByTestId("panel-empty").innerText()).includes("under way") && !refreshed.has(slug)) {
        refreshed.add(slug);
        await panel.getByRole("button", { name: "Refresh" }).click();
      }
      await expect(panel.getByTestId("panel-headline")).toBeVisible({ timeout: 1000 });
    }
  }).toPass({ timeout: 90_000, intervals: [1000] });
}

test("a developer's dashboard shows live panels beside the runbooks that act on the same things, at desktop and phone width", async ({ page }) => {
  await signIn(page, "developer");
  await page.getByRole("link", { name: "Dashboard" }).click();
  await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
  for (const slug of views) await expect(page.locator(`[data-panel="${slug}"]`)).toBeVisible();
  await waitForResults(page);

  const disk = page.locator('[data-panel="disk-space"]');
  await expect(disk.getByTestId("panel-status")).toHaveText(/ok|warn|critical/);
  await expect(disk.getByTestId("panel-headline")).toContainText("used");
  await expect(disk.getByTestId("panel-age")).toContainText(/ago/);
  await expect(disk.getByTestId("panel-history").locator("li")).not.toHaveCount(0);
  // Beside each view, what acts on the same thing and the developer may run (not the high-risk rolling restart).
  await expect(disk.getByTestId("panel-related")).toContainText("Disk usage by directory");
  await expect(page.locator('[data-panel="service-health"]').getByTestId("panel-related")).toContainText("Scale a service");

  // A refresh is a run of the view: refused while one is recent, saying when it may be refreshed, then
  // started, and its result shows within seconds, without a reload. (A click the page was not yet
  // ready for posts the form natively and reloads it: then the next click is answered.)
  test.setTimeout(150_000);
  const health = page.locator('[data-panel="service-health"]');
  let refreshRun: string | undefined;
  await expect(async () => {
    await health.getByRole("button", { name: "Refresh" }).click();
    const answer = health.locator('[role="status"], [role="alert"]');
    await expect(answer).toContainText(/Refreshing: run #\d+ is (queued|running)|refreshed \d+ s ago .* again in \d+ s|being refreshed now/, { timeout: 5000 });
    const text = (await answer.textContent()) ?? "";
    if (!text.startsWith("Refreshing")) {
      await page.waitForTimeout(((Number(/again in (\d+) s/.exec(text)?.[1] ?? 1)) + 1) * 1000);
      await page.reload();
    }
    refreshRun = /Refreshing: run #(\d+)/.exec(text)?.[1];
    expect(refreshRun, text).toBeDefined();
  }).toPass({ timeout: 90_000 });
  await expect(health.getByTestId("panel-age")).toContainText(`run #${refreshRun}`, { timeout: 10_000 });
  await page.screenshot({ path: test.info().outputPath("dashboard.png"), fullPage: true });

  // Before acting, the run form shows the state of what the runbook acts on.
  await page.goto("/runbooks/disk-usage");
  await expect(page.getByTestId("related-panels")).toContainText("Disk space");
  await expect(page.getByTestId("related-panels")).toContainText(/used · \d+ (s|min) ago/);
  await page.screenshot({ path: test.info().outputPath("run-form-related.png") });

  // View runs stay out of the default runs list; the filter shows them.
  await page.goto("/runs?views=only");
  await expect(page.locator("table.runs-table")).toContainText(/service-health|certificate-expiry|disk-space/);

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/dashboard");
  await expect(page.locator('[data-panel="disk-space"]').getByTestId("panel-headline")).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(1);
  await page.screenshot({ path: test.info().outputPath("dashboard-phone.png"), fullPage: true });
});
