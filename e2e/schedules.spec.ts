import { expect, test } from "@playwright/test";
import { signIn } from "./fixtures";

const unique = () => Math.random().toString(36).slice(2, 8);

test("an operator schedules a runbook from the browser; a developer may pause it but not resume it", async ({ browser }) => {
  const name = `nightly-${unique()}`;
  const operatorContext = await browser.newContext();
  const operator = await operatorContext.newPage();
  await signIn(operator, "operator");
  await operator.goto("/schedules");
  await expect(operator.getByRole("heading", { name: "Schedules" })).toBeVisible();

  const create = operator.getByTestId("create-schedule");
  await create.getByLabel("Runbook").selectOption("tls-cert-expiry");
  await create.getByLabel("Name").fill(name);
  await create.getByLabel("When").fill("0 25 * * *");
  await create.getByRole("button", { name: "Create schedule" }).click();
  await expect(create.getByRole("alert")).toContainText("cron");

  await create.getByLabel("When").fill("30 2 * * *");
  await create.getByLabel("Time zone").fill("Europe/Berlin");
  await create.getByRole("button", { name: "Create schedule" }).click();
  await expect(create.getByRole("status")).toContainText(`Schedule "${name}" of tls-cert-expiry created`);
  const row = operator.locator(`tr[data-schedule="${name}"]`);
  await expect(row).toContainText("30 2 * * *");
  await expect(row).toContainText("Europe/Berlin");
  await expect(row.getByTestId("schedule-upcoming")).toContainText(/(00|01):30 UTC/);
  await expect(row).toContainText("active");
  await operator.screenshot({ path: test.info().outputPath("schedules.png"), fullPage: true });
  // The demo's own schedule, written in the runbook's file, is listed too, and both show on the runbook's page.
  await expect(operator.locator('tr[data-schedule="every-morning"]')).toContainText("in the runbook's file");
  await operator.goto("/runbooks/tls-cert-expiry");
  await expect(operator.getByTestId("runbook-schedules")).toContainText("every-morning");
  await expect(operator.getByTestId("runbook-schedules")).toContainText(name);
  await operator.screenshot({ path: test.info().outputPath("runbook-schedules.png"), fullPage: true });
  await operator.goto("/schedules");

  const developerContext = await browser.newContext();
  const developer = await developerContext.newPage();
  await signIn(developer, "developer");
  await developer.goto("/schedules");
  const seen = developer.locator(`tr[data-schedule="${name}"]`);
  await expect(seen.getByRole("button", { name: "Delete" })).toHaveCount(0);
  await seen.getByRole("button", { name: "Pause" }).click();
  await expect(seen.getByTestId("schedule-paused")).toBeVisible();
  // Resuming loosens: only its owner (or an admin) is offered it.
  await expect(seen.getByRole("button", { name: "Resume" })).toHaveCount(0);

  // At phone width the page keeps to the screen: the table scrolls inside its own box.
  await developer.setViewportSize({ width: 390, height: 844 });
  await developer.reload();
  await expect(developer.getByRole("heading", { name: "Schedules" })).toBeVisible();
  expect(await developer.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(1);
  await developer.screenshot({ path: test.info().outputPath("schedules-phone.png"), fullPage: true });

  await operator.reload();
  await expect(row).toContainText("paused by developer@handrail.local");
  await row.getByRole("button", { name: "Resume" }).click();
  await expect(row).toContainText("active");
  // Its owner changes it in place: the form holds the schedule as it is; a bad value is named.
  const edit = row.getByTestId("schedule-edit");
  await edit.getByText("Change…").click();
  await expect(edit.getByLabel("When")).toHaveValue("30 2 * * *");
  await expect(edit.getByLabel("Time zone")).toHaveValue("Europe/Berlin");
  await edit.getByLabel("When").fill("45 3 * * 7x");
  await edit.getByRole("button", { name: "Save changes" }).click();
  await expect(edit.getByRole("alert")).toContainText("cron");
  await operator.screenshot({ path: test.info().outputPath("schedule-edit.png"), fullPage: true });
  await edit.getByLabel("When").fill("45 3 * * *");
  await edit.getByRole("button", { name: "Save changes" }).click();
  await expect(edit.getByRole("status")).toContainText(`Schedule "${name}" changed (revision`);
  await expect(row).toContainText("45 3 * * *");
  await row.getByRole("button", { name: "Delete" }).click();
  await expect(row).toHaveCount(0);
  await operatorContext.close();
  await developerContext.close();
});

test("a schedule of a high-risk runbook waits until someone other than its owner approves it", async ({ browser }) => {
  const name = `weekly-${unique()}`;
  const operatorContext = await browser.newContext();
  const operator = await operatorContext.newPage();
  await signIn(operator, "operator");
  await operator.goto("/schedules");
  const create = operator.getByTestId("create-schedule");
  await create.getByLabel("Runbook").selectOption("rolling-restart");
  await create.getByLabel("Name").fill(name);
  await create.getByLabel("When").fill("0 4 * * 1");
  await create.getByLabel("Parameters").fill('{"service": "web", "environment": "staging"}');
  await create.getByLabel("Reason").fill("weekly restart to pick up certificates");
  await create.getByRole("button", { name: "Create schedule" }).click();
  await expect(create.getByRole("alert")).toContainText("confirm");
  await create.getByLabel("Confirmation").fill("rolling-restart");
  await create.getByRole("button", { name: "Create schedule" }).click();
  await expect(create.getByRole("status")).toContainText(`Schedule "${name}" of rolling-restart created`);
  const row = operator.locator(`tr[data-schedule="${name}"]`);
  await expect(row.getByTestId("schedule-awaits-approval")).toBeVisible();
  // Its owner is not offered Approve.
  await expect(row.getByRole("button", { name: "Approve" })).toHaveCount(0);

  const approverContext = await browser.newContext();
  const approver = await approverContext.newPage();
  await signIn(approver, "operator2");
  await approver.goto("/schedules");
  const seen = approver.locator(`tr[data-schedule="${name}"]`);
  await seen.getByRole("button", { name: "Approve" }).click();
  await expect(seen).toContainText("active");
  await expect(seen.getByTestId("schedule-awaits-approval")).toHaveCount(0);
  await approver.screenshot({ path: test.info().outputPath("schedule-approved.png"), fullPage: true });

  await operator.reload();
  await row.getByRole("button", { name: "Delete" }).click();
  await expect(row).toHaveCount(0);
  await operatorContext.close();
  await approverContext.close();
});
