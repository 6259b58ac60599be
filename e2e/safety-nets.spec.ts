import { expect, test, type Browser, type Page } from "@playwright/test";
import { bearer, signIn, type Role } from "./fixtures";

interface RunJson {
  id: number;
  status: string;
  startedAt: string | null;
  output: { lines: number };
}

async function as(browser: Browser, role: Role): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, role);
  return page;
}

const status = (page: Page) => page.locator(".run-title .badge");
const runIdOf = (page: Page) => Number(page.url().split("/").at(-1));

test("an operator dry-runs first and requests a high-risk run; they cannot approve it, a second operator does, and it runs", async ({ browser, request }) => {
  const operator = await as(browser, "operator");
  await operator.goto("/runbooks/rolling-restart");
  // Dry run is offered first for a risky runbook that has one.
  await expect(operator.locator(".form-actions button").first()).toHaveText("Dry run");
  await expect(operator.getByTestId("approval-note")).toContainText("Needs 1 approval from someone with role operator or admin, other than you");
  await operator.getByLabel("service").selectOption("api");
  await operator.getByLabel("environment").selectOption("staging");

  // High risk: a reason or a ticket, and the typed slug, before anything is sent.
  await operator.getByRole("button", { name: "Request approval" }).click();
  await expect(operator.getByText("a high-risk run needs a reason or a ticket reference (incident or change id)")).toBeVisible();
  await expect(operator.getByText('type the runbook slug "rolling-restart" to confirm this high-risk run')).toBeVisible();
  await expect(operator).toHaveURL(/\/runbooks\/rolling-restart$/);

  await operator.getByRole("button", { name: "Dry run" }).click();
  await expect(operator).toHaveURL(/\/runs\/\d+$/);
  const dryRunId = runIdOf(operator);
  await expect(operator.locator(".run-flags")).toContainText("dry run");
  await expect(operator.getByTestId("run-output")).toContainText("DRY RUN: nothing was restarted", { timeout: 30_000 });
  await operator.getByRole("link", { name: "Request the real run with these parameters" }).click();
  await expect(operator).toHaveURL(/\/runbooks\/rolling-restart\?/);
  await expect(operator.getByLabel("service")).toHaveValue("api");
  await expect(operator.getByLabel("environment")).toHaveValue("staging");

  await operator.getByLabel("Reason").fill("api pods leak memory after the 14:00 deploy");
  await operator.getByLabel("Type rolling-restart to confirm").fill("rolling restart");
  await operator.getByRole("button", { name: "Request approval" }).click();
  await expect(operator.getByText('does not match: type the runbook slug "rolling-restart" exactly')).toBeVisible();
  await operator.getByLabel("Type rolling-restart to confirm").fill("rolling-restart");
  await operator.getByRole("button", { name: "Request approval" }).click();
  await expect(operator).toHaveURL(/\/runs\/\d+$/);
  const runId = runIdOf(operator);
  await expect(status(operator)).toHaveText("pending approval");

  // The requester sees exactly what will run, and that someone else must decide.
  const request_ = operator.getByRole("region", { name: "Approval request" });
  await expect(request_).toContainText("api pods leak memory after the 14:00 deploy");
  await expect(request_.getByRole("table", { name: "Frozen parameters" })).toContainText("staging");
  await expect(operator.getByTestId("attached-dry-run")).toContainText(`Dry run #${dryRunId}`);
  await expect(operator.getByTestId("attached-dry-run")).toContainText("DRY RUN: would restart batch 1/3: api-1");
  await expect(operator.getByTestId("approval-refusal")).toContainText("Waiting for someone else's approval");
  await expect(operator.getByTestId("approval-refusal")).toContainText("four-eyes rule");
  await expect(operator.getByTestId("approve")).toHaveCount(0);
  await expect(operator.getByTestId("no-output")).toHaveText("Nothing runs until the request is approved.");

  // Not even with their own token.
  const selfApproval = await request.post(`/api/v1/runs/${runId}/approve`, { headers: bearer("operator"), data: { comment: "looks fine to me" } });
  expect(selfApproval.status()).toBe(403);
  expect((await selfApproval.json()).error).toContain("four-eyes rule");

  const colleague = await as(browser, "operator2");
  await expect(colleague.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /Approvals/ })).toContainText(/\d/);
  await colleague.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /Approvals/ }).click();
  const waiting = colleague.getByRole("region", { name: "Waiting for your approval" });
  await waiting.locator(`tr[data-run="${runId}"]`).getByRole("link", { name: "Review" }).click();
  await expect(colleague).toHaveURL(new RegExp(`/runs/${runId}$`));
  await colleague.getByTestId("approve").getByLabel("Comment").fill("dry run looks right");
  await colleague.getByTestId("approve").getByRole("button", { name: "Approve" }).click();
  await expect(colleague.getByTestId("run-output")).toContainText("summary: restarted 3/3 api instance(s) in staging", { timeout: 30_000 });
  await expect(status(colleague)).toHaveText("succeeded");
  // Why it ran stays on the page once it has finished, even after a reload.
  await colleague.reload();
  const record = colleague.getByRole("region", { name: "Run record" });
  await expect(record).toContainText("operator2@handrail.local");
  await expect(record).toContainText("dry run looks right");
  await expect(record).toContainText("api pods leak memory after the 14:00 deploy");
  await expect(record.getByRole("link", { name: `Run #${dryRunId}` })).toBeVisible();

  // The requester's page followed along without a reload.
  await expect(status(operator)).toHaveText("succeeded", { timeout: 30_000 });
  await expect(operator.getByTestId("run-output")).toContainText("summary: restarted 3/3 api instance(s) in staging");
  await colleague.context().close();
  await operator.context().close();
});

test("a rejected request never runs", async ({ browser, request }) => {
  const created = await request.post("/api/v1/runbooks/rolling-restart/runs", {
    headers: bearer("operator"),
    data: { params: { service: "web", environment: "production" }, ticket: "CHG-7", confirm: "rolling-restart" },
  });
  expect(created.status()).toBe(201);
  const run = (await created.json()) as RunJson;
  expect(run.status).toBe("pending_approval");

  const colleague = await as(browser, "operator2");
  await colleague.goto("/approvals");
  const row = colleague.getByRole("region", { name: "Waiting for your approval" }).locator(`tr[data-run="${run.id}"]`);
  await expect(row).toContainText("CHG-7");
  await row.getByTestId("reject-popover").locator("summary").click();
  await row.getByTestId("reject").getByLabel("Why reject").fill("production needs a change window");
  await row.getByTestId("reject").getByRole("button", { name: "Reject" }).click();
  await expect(colleague).toHaveURL(/\/approvals$/);
  await expect(colleague.locator(`tr[data-run="${run.id}"]`)).toHaveCount(0);

  await colleague.goto(`/runs/${run.id}`);
  await expect(status(colleague)).toHaveText("rejected");
  await expect(colleague.getByTestId("run-error")).toContainText("Rejected — never ran: rejected by operator2@handrail.local: production needs a change window");
  await expect(colleague.getByTestId("no-output")).toHaveText("This run never started: there is no output.");
  const after = (await (await request.get(`/api/v1/runs/${run.id}`, { headers: bearer("auditor") })).json()) as RunJson;
  expect(after).toMatchObject({ status: "rejected", startedAt: null, output: { lines: 0 } });
  await colleague.context().close();
});

// Medium-risk runbooks: outright outside production, with an operator's approval in production.
const developerPolicy = `name: default-developer
description: Developers run low-risk runbooks, medium-risk ones outside production, and in production with an operator's approval; they cancel their own runs and propose runbooks.
attach:
  roles: [developer]
rules:
  - action: run
    subject: Runbook
    conditions: { risk: { $in: [low] } }
  - action: run
    subject: Runbook
    conditions: { risk: { $in: [medium] } }
    params: { environment: { $in: [dev, staging] } }
  - action: run
    subject: Runbook
    conditions: { risk: { $in: [medium] } }
    params: { environment: production }
    requireApproval: true
  - action: cancel
    subject: Run
    conditions: { requestedBy: $user.id }
  - action: propose
    subject: Runbook
`;

async function savePolicy(admin: Page, yaml: string, reason: string): Promise<void> {
  await admin.goto("/admin/policies/default-developer");
  const editor = admin.getByLabel("Policy (YAML)");
  // Typed before the editor has hydrated, the text can be merged with what React then renders: fill until it holds exactly this.
  await expect(async () => {
    await editor.fill(yaml);
    await expect(editor).toHaveValue(yaml, { timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  await expect(admin.getByText("The document is valid.")).toBeVisible();
  await admin.getByLabel("Reason for this change").fill(reason);
  await admin.getByRole("button", { name: "Save new version" }).click();
  await expect(admin.getByText(reason)).toBeVisible();
}

test("a developer whose policy allows a medium-risk runbook in production only with approval sees it in the form and gets it approved by an operator", async ({ browser }) => {
  const admin = await as(browser, "admin");
  await admin.goto("/admin/policies/default-developer");
  const original = await admin.getByLabel("Policy (YAML)").inputValue();
  await savePolicy(admin, developerPolicy, "CHG-101: medium-risk runs by developers in production need an operator's approval");
  try {
    const developer = await as(browser, "developer");
    await developer.goto("/runbooks/scale-service");
    await expect(developer.locator(".form-actions button").first()).toHaveText("Dry run");
    await expect(developer.getByTestId("break-glass")).toHaveCount(0);
    await developer.getByLabel("service").selectOption("worker");
    await developer.getByLabel("environment").selectOption("staging");
    await developer.getByLabel("instances").fill("5");
    // The form judges the policy on the values: staging runs outright, production waits for approval.
    await expect(developer.getByRole("button", { name: "Request approval" })).toHaveCount(0);
    await expect(developer.getByTestId("approval-note")).toHaveCount(0);
    await developer.getByLabel("environment").selectOption("production");
    await expect(developer.getByTestId("approval-note")).toContainText("your access allows this runbook only with approval");
    await developer.getByLabel("Ticket").fill("CHG-101");
    await developer.getByRole("button", { name: "Request approval" }).click();
    await expect(developer).toHaveURL(/\/runs\/\d+$/);
    const runId = runIdOf(developer);
    await expect(status(developer)).toHaveText("pending approval");
    await expect(developer.getByTestId("approval-refusal")).toContainText("Waiting for someone else's approval");

    const operator = await as(browser, "operator");
    await operator.goto("/approvals");
    const row = operator.getByRole("region", { name: "Waiting for your approval" }).locator(`tr[data-run="${runId}"]`);
    await expect(row).toContainText("developer@handrail.local");
    await row.getByTestId("approve-popover").locator("summary").click();
    await row.getByTestId("approve").getByRole("button", { name: "Approve" }).click();
    await expect(operator.locator(`tr[data-run="${runId}"]`)).toHaveCount(0);

    await expect(status(developer)).toHaveText("succeeded", { timeout: 30_000 });
    await expect(developer.getByTestId("run-output")).toContainText("scaled worker in production to 5 instance(s)");
    await operator.context().close();
    await developer.context().close();
  } finally {
    await savePolicy(admin, original, "CHG-101: back to the shipped developer policy");
    await admin.context().close();
  }
});

test("break-glass runs at once, is flagged loudly, and waits in the review queue until another operator acknowledges it", async ({ browser, request }) => {
  const operator = await as(browser, "operator");
  await operator.goto("/runbooks/rolling-restart");
  await operator.getByLabel("service").selectOption("worker");
  await operator.getByLabel("environment").selectOption("production");
  await operator.getByLabel("Type rolling-restart to confirm").fill("rolling-restart");
  await operator.getByTestId("break-glass").locator("summary").click();
  await operator.getByRole("button", { name: "Break glass and run now" }).click();
  await expect(operator.getByText("say in at least 10 characters why this cannot wait for an approval")).toBeVisible();
  await operator.getByLabel("Justification").fill("workers are wedged in production and the queue is backing up");
  await operator.getByLabel("Incident id").fill("INC-4711");
  await operator.getByRole("button", { name: "Break glass and run now" }).click();
  await expect(operator).toHaveURL(/\/runs\/\d+$/);
  const runId = runIdOf(operator);

  const banner = operator.getByTestId("break-glass-banner");
  await expect(banner).toContainText("BREAK-GLASS RUN");
  await expect(banner).toContainText("INC-4711");
  await expect(banner).toContainText("Waiting in the break-glass review queue");
  await expect(banner.getByTestId("acknowledge")).toHaveCount(0);
  await expect(status(operator)).toHaveText("succeeded", { timeout: 30_000 });
  await expect(operator.getByTestId("run-output")).toContainText("summary: restarted 3/3 worker instance(s) in production");

  const audit = (await (await request.get(`/api/v1/audit?action=run.break_glass&limit=20`, { headers: bearer("auditor") })).json()) as { events: Array<{ subjectId: string }> };
  expect(audit.events.map((event) => event.subjectId)).toContain(String(runId));

  const colleague = await as(browser, "operator2");
  await colleague.goto("/approvals");
  const queue = colleague.getByRole("region", { name: "Break-glass review queue" });
  const row = queue.locator(`tr[data-run="${runId}"]`);
  await expect(row).toContainText("INC-4711");
  await row.getByTestId("acknowledge-popover").locator("summary").click();
  await row.getByTestId("acknowledge").getByLabel("What you checked").fill("matches INC-4711; the workers recovered");
  await row.getByTestId("acknowledge").getByRole("button", { name: "Acknowledge" }).click();
  await expect(colleague).toHaveURL(/\/approvals$/);
  await expect(queue.locator(`tr[data-run="${runId}"]`)).toHaveCount(0);
  await queue.getByRole("link", { name: "Acknowledged" }).click();
  await expect(queue.locator(`tr[data-run="${runId}"]`)).toContainText("matches INC-4711; the workers recovered");

  await colleague.goto(`/runs/${runId}`);
  await expect(colleague.getByTestId("break-glass-review")).toContainText("Acknowledged by operator2@handrail.local");
  await colleague.goto("/runs?runbook=rolling-restart");
  await expect(colleague.getByRole("row").filter({ has: colleague.getByRole("link", { name: `#${runId}`, exact: true }) })).toContainText("break glass");
  await colleague.context().close();
  await operator.context().close();
});
