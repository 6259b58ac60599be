import { expect, test, type Browser, type Page } from "@playwright/test";
import { bearer, signIn, type Role } from "./fixtures";

async function as(browser: Browser, role: Role): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, role);
  return page;
}

async function runAndWait(page: Page, slug: string, values: Record<string, string>): Promise<string> {
  await page.goto(`/runbooks/${slug}`);
  for (const [label, value] of Object.entries(values)) await page.getByLabel(label).fill(value);
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await expect(page).toHaveURL(/\/runs\/\d+$/);
  await expect(page.locator(".run-title .badge")).toHaveText("succeeded", { timeout: 30_000 });
  return page.url();
}

test("an operator writes a runbook in the form, a developer runs it, the edit is a new version the old run still points past", async ({ browser }) => {
  const slug = `greet-${Date.now().toString(36)}`;
  const operator = await as(browser, "operator");
  await operator.goto("/runbooks/new");
  await operator.getByLabel("Slug").fill(slug);
  await operator.getByLabel("Title").fill("Greet a service");
  // The template starts with one parameter (service); add a second one.
  await operator.getByRole("button", { name: "+ Add parameter" }).click();
  const second = operator.getByRole("listitem", { name: /^Parameter / }).nth(1);
  await second.getByLabel("Name").fill("greeting");
  await second.getByLabel("Default").fill("hello");
  await operator.getByRole("tab", { name: "YAML" }).click();
  await expect(operator.locator(".cm-content")).toContainText("name: greeting");
  await operator.getByRole("tab", { name: "Form" }).click();
  await operator.getByLabel("What changed and why").fill("first version (e2e)");
  await operator.getByRole("button", { name: "Create runbook" }).click();
  await expect(operator).toHaveURL(new RegExp(`/runbooks/${slug}$`));
  await expect(operator.getByRole("heading", { level: 1 })).toContainText("Greet a service");

  const developer = await as(browser, "developer");
  const runUrl = await runAndWait(developer, slug, { service: "billing", greeting: "hi" });
  await expect(developer.getByTestId("run-output")).toContainText("Checking billing");
  const ranVersion = (await developer.locator(".facts-grid").getByRole("link").first().textContent())?.trim() ?? "";
  expect(ranVersion).toMatch(/^[0-9a-f]{12}$/);

  await operator.getByRole("link", { name: "Edit", exact: true }).click();
  await expect(operator).toHaveURL(new RegExp(`/runbooks/${slug}/edit$`));
  await operator.getByLabel("Title").fill("Greet a service politely");
  await operator.getByLabel("What changed and why").fill("politer title (e2e)");
  await operator.getByRole("button", { name: "Save new version" }).click();
  await expect(operator).toHaveURL(new RegExp(`/runbooks/${slug}$`));
  await expect(operator.getByRole("heading", { level: 1 })).toContainText("Greet a service politely");

  // The old run still names the version it ran, whose definition has the old title.
  await developer.goto(runUrl);
  await developer.locator(".facts-grid").getByRole("link", { name: ranVersion }).click();
  await expect(developer.locator("body")).toContainText("title: Greet a service");
  await expect(developer.locator("body")).not.toContainText("politely");

  // History lists both versions; the default comparison (previous → current) shows the change.
  await developer.goto(`/runbooks/${slug}/history`);
  await expect(developer.getByRole("row").filter({ hasText: "politer title (e2e)" })).toContainText("operator@handrail.local");
  await developer.getByRole("button", { name: "Compare selected" }).click();
  await expect(developer).toHaveURL(/\/diff\?/);
  await expect(developer.locator("body")).toContainText("title: Greet a service politely");
});

test("a developer's proposal is invisible until an operator (not the author) publishes it, then it runs", async ({ browser }) => {
  const slug = `idea-${Date.now().toString(36)}`;
  const developer = await as(browser, "developer");
  await developer.goto("/runbooks/new");
  await developer.getByLabel("Slug").fill(slug);
  await developer.getByLabel("Title").fill("Developer idea");
  await developer.getByLabel("What this proposes and why").fill("a check my team needs (e2e)");
  await developer.getByRole("button", { name: "Submit proposal" }).click();
  await expect(developer).toHaveURL(/\/proposals\/[0-9a-f-]{36}$/);
  const proposalUrl = developer.url();
  await expect(developer.locator("body")).toContainText("someone else who may edit this runbook must review it");
  await expect(developer.getByRole("button", { name: /^Publish/ })).toHaveCount(0);

  const unpublished = await developer.request.get(`/api/v1/runbooks/${slug}`);
  expect(unpublished.status()).toBe(404);

  const operator = await as(browser, "operator");
  await operator.goto(proposalUrl);
  await operator.getByRole("button", { name: "Publish new runbook" }).click();
  await expect(operator.locator("body")).toContainText(/published/i);

  await runAndWait(developer, slug, { service: "web" });
  await expect(developer.getByTestId("run-output")).toContainText("Checking web");
});

test("an edit that loosens a safety net says so before saving, waits as a proposal, and only a second operator can publish it", async ({ browser, request }) => {
  const slug = `drain-${Date.now().toString(36)}`;
  const yaml = `slug: ${slug}\ntitle: Drain a node\nowner: platform\nrisk: high\ntags: [k8s]\ntimeout: 1m\ncommand: ["/bin/echo", "draining"]\n`;
  const created = await request.post("/api/v1/runbooks", { headers: bearer("operator"), data: { yaml, message: "first version (e2e)" } });
  expect(created.status()).toBe(201);

  const operator = await as(browser, "operator");
  await operator.goto(`/runbooks/${slug}/edit`);
  await expect(operator.getByRole("button", { name: "Save new version" })).toBeEnabled();
  await operator.getByLabel("Risk").selectOption("low");
  const warning = operator.getByTestId("loosening-warning");
  await expect(warning).toContainText("risk high → low");
  await expect(warning).toContainText("approvals required 1 → 0");
  await operator.getByLabel("What changed and why").fill("it is only a drain (e2e)");
  await operator.screenshot({ path: "test-results/loosening-editor.png", fullPage: true });
  await operator.getByRole("button", { name: "Send for review" }).click();
  await expect(operator).toHaveURL(/\/proposals\/[0-9a-f-]{36}$/);
  const proposalUrl = operator.url();
  await expect(operator.getByTestId("loosens-note")).toContainText("risk high → low");
  await expect(operator.getByRole("button", { name: /^Publish/ })).toHaveCount(0);
  // The author cannot publish it by the API either.
  const proposalId = proposalUrl.split("/").at(-1) ?? "";
  expect((await request.post(`/api/v1/proposals/${proposalId}/publish`, { headers: bearer("operator"), data: {} })).status()).toBe(403);

  // Nothing changed meanwhile, and the runbook page says a loosening change waits.
  await operator.goto(`/runbooks/${slug}`);
  await expect(operator.locator("h1 .badge").first()).toHaveText(/high/i);
  await expect(operator.getByTestId("pending-loosening")).toContainText("risk high → low");
  await operator.screenshot({ path: "test-results/loosening-runbook-page.png", fullPage: true });

  const second = await as(browser, "operator2");
  await second.goto(proposalUrl);
  await second.getByRole("button", { name: /^Publish/ }).click();
  await expect(second.locator("body")).toContainText(/published/i);
  await second.goto(`/runbooks/${slug}`);
  await expect(second.locator("h1 .badge").first()).toHaveText(/low/i);
  await expect(second.getByTestId("pending-loosening")).toHaveCount(0);
});
