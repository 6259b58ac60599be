import { expect, test } from "@playwright/test";
import { signIn } from "./fixtures";

test("two people work through a checklist run together: one ticks a manual step, the other sees it live", async ({ page, browser }) => {
  await signIn(page, "operator");
  await page.goto("/runbooks/db-failover-drill");
  await page.getByLabel("cluster").selectOption("orders-db");
  const reason = page.getByLabel(/^Reason/);
  if (await reason.isVisible()) await reason.fill("quarterly failover drill");
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await expect(page).toHaveURL(/\/runs\/\d+$/);
  const runUrl = page.url();

  const announce = page.getByTestId("step-announce");
  await expect(announce.locator(".badge")).toHaveText("waiting", { timeout: 15_000 });
  await expect(page.locator(".run-title .badge")).toHaveText("waiting");
  await expect(page.getByTestId("step-check_lag").locator(".badge")).toHaveText("succeeded");
  await expect(page.getByTestId("step-lag_too_high").locator(".badge")).toHaveText("skipped");
  await expect(announce).toContainText("Starting a failover drill");

  // A colleague opens the same run; they may run the runbook, so they could tick it too.
  const colleague = await browser.newContext();
  const colleaguePage = await colleague.newPage();
  await signIn(colleaguePage, "developer");
  await colleaguePage.goto(runUrl);
  const theirAnnounce = colleaguePage.getByTestId("step-announce");
  await expect(theirAnnounce.locator(".badge")).toHaveText("waiting");
  await expect(theirAnnounce.getByRole("button", { name: "Mark done" })).toBeVisible();

  // A bad value is refused with the reason, and nothing changes.
  await announce.getByLabel("ticket").fill("not a ticket");
  await announce.getByRole("button", { name: "Mark done" }).evaluate((button) => button.closest("form")?.setAttribute("novalidate", ""));
  await announce.getByRole("button", { name: "Mark done" }).click();
  await expect(announce.locator(".form-error")).toContainText("must match the pattern");
  await expect(theirAnnounce.locator(".badge")).toHaveText("waiting");

  await announce.getByLabel("ticket").fill("CHG-4711");
  await announce.getByLabel(/^Note/).fill("posted in #incident");
  const tickedAt = Date.now();
  await announce.getByRole("button", { name: "Mark done" }).click();
  // Seen live, without a reload. How fast is printed, not asserted: these machines are shared and
  // noisy (the time includes the completion request, the stream's wake-up and the page's fetch).
  await expect(theirAnnounce.locator(".badge")).toHaveText("succeeded");
  console.log(`the colleague's page showed the tick ${Date.now() - tickedAt} ms after the click`);
  await expect(theirAnnounce).toContainText("Completed by Olu Operator");
  await expect(theirAnnounce).toContainText("ticket=CHG-4711");

  // Promoting needs a second person: neither the requester nor a developer may approve it; an admin does.
  const promote = page.getByTestId("step-promote");
  await expect(promote.getByTestId("step-approval-promote")).toContainText("Waits for approval", { timeout: 20_000 });
  await expect(promote.getByTestId("step-approval-refusal")).toContainText("four-eyes");
  await expect(colleaguePage.getByTestId("step-approval-promote")).toContainText("Waits for approval");
  await expect(colleaguePage.getByTestId("step-promote").getByRole("button", { name: "Approve step" })).toHaveCount(0);
  const approver = await browser.newContext();
  const approverPage = await approver.newPage();
  await signIn(approverPage, "admin");
  await approverPage.goto("/approvals");
  await approverPage.getByRole("region", { name: "Steps waiting for approval" }).getByRole("link", { name: "Review step" }).first().click();
  await expect(approverPage).toHaveURL(runUrl);
  await approverPage.getByTestId("step-promote").getByLabel(/^Comment/).fill("lag is fine, announcement is out");
  await approverPage.screenshot({ path: "test-results/steps-approver.png", fullPage: true });
  await approverPage.getByTestId("step-promote").getByRole("button", { name: "Approve step" }).click();
  await expect(promote.getByTestId("step-approval-promote")).toContainText("approved by admin@handrail.local", { timeout: 15_000 });
  await approver.close();

  // The automated steps after it run, live on both pages, and the run waits again for the status page.
  const statusPage = colleaguePage.getByTestId("step-status_page");
  await expect(statusPage.locator(".badge")).toHaveText("waiting", { timeout: 20_000 });
  await expect(colleaguePage.getByTestId("step-promote")).toContainText("primary=orders-db-replica-1");
  await expect(colleaguePage.getByTestId("run-output")).toContainText("[CHG-4711] orders-db-replica-1 is the new primary");
  // The health check ran as a run of its own, linked from its step.
  await expect(colleaguePage.getByTestId("step-runbook-api_health")).toContainText("succeeded");
  await colleaguePage.screenshot({ path: "test-results/steps-colleague.png", fullPage: true });

  await statusPage.getByLabel(/^Note/).fill("status page updated");
  await statusPage.getByRole("button", { name: "Mark done" }).click();
  await expect(page.locator(".run-title .badge")).toHaveText("succeeded", { timeout: 15_000 });
  await expect(page.getByTestId("step-status_page")).toContainText("Completed by Dana Developer");
  await expect(page.getByRole("region", { name: "Run record" })).toContainText("step.completed");
  await colleague.close();
});

test("the editor shows a file-managed runbook's steps in the form, and what each would run", async ({ page }) => {
  await signIn(page, "operator");
  await page.goto("/runbooks/db-failover-drill/edit");
  const cards = page.getByRole("listitem", { name: /^Step \d+:/ });
  await expect(cards).toHaveCount(7);
  const announce = page.getByRole("listitem", { name: "Step 3: Announce the drill in the incident channel" });
  await expect(announce.getByLabel("Kind")).toHaveValue("manual");
  await expect(announce.getByLabel("Instructions (Markdown)")).toHaveValue(/Starting a failover drill/);
  const promote = page.getByRole("listitem", { name: "Step 4: Promote the replica" });
  await expect(promote.getByLabel("Approvals")).toHaveValue("1");
  await expect(page.getByLabel("Step promote").first()).toContainText('"bash"');

});

test("a new runbook is split into steps and edited in the form, the YAML view following", async ({ page }) => {
  await signIn(page, "operator");
  await page.goto("/runbooks/new");
  const slug = `drill-${Date.now().toString(36)}`;
  await page.getByLabel("Slug").fill(slug);
  await page.getByLabel("Title").first().fill("A small drill");
  await page.getByRole("button", { name: "Split into steps…" }).click();
  await expect(page.getByRole("listitem", { name: /^Step \d+:/ })).toHaveCount(1);
  await page.getByRole("button", { name: "+ Manual step" }).click();
  const added = page.getByRole("listitem", { name: /^Step 2:/ });
  await added.getByLabel("Id").fill("tell_the_team");
  await added.getByLabel("Title").fill("Tell the team");
  await added.getByLabel("Instructions (Markdown)").fill("Post in **#ops** that the drill starts.");
  await page.getByRole("button", { name: "Move Tell the team up" }).click();
  const first = page.getByRole("listitem", { name: "Step 1: Tell the team" });
  await expect(first.getByLabel("Kind")).toHaveValue("manual");
  await page.getByRole("listitem", { name: "Step 2: Run" }).getByLabel("Approvals").fill("1");
  await page.screenshot({ path: "test-results/steps-editor.png", fullPage: true });

  await page.getByRole("tab", { name: "YAML" }).click();
  const yaml = page.locator(".cm-content");
  await expect(yaml).toContainText("id: tell_the_team");
  await expect(yaml).toContainText("required: 1");
  const text = (await yaml.textContent()) ?? "";
  expect(text.indexOf("id: tell_the_team")).toBeLessThan(text.indexOf("id: run"));

  // A bad step id is named at its field, and saving waits until it is fixed.
  await page.getByRole("tab", { name: "Form" }).click();
  await first.getByLabel("Id").fill("Tell Team");
  await expect(page.getByRole("listitem", { name: "Step 1: Tell the team" })).toContainText("must be a lowercase letter");
  await page.getByRole("listitem", { name: "Step 1: Tell the team" }).getByLabel("Id").fill("tell_the_team");
  await page.getByLabel("What changed and why").fill("a drill of two steps (e2e)");
  await page.getByRole("button", { name: "Create runbook" }).click();
  await expect(page).toHaveURL(new RegExp(`/runbooks/${slug}$`));
  await expect(page.getByRole("main")).toContainText("Tell the team");
});
