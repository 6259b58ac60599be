import { expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { bearer, signIn } from "./fixtures";

// An approver decides from a phone: the nav, the approvals page, a run page and the decision forms at 390×844.
const PHONE = { width: 390, height: 844 };

async function phone(browser: Browser): Promise<Page> {
  return (await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true })).newPage();
}

async function expectNoSidewaysScroll(page: Page, what: string): Promise<void> {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, `${what} is ${width}px wide at ${PHONE.width}px`).toBeLessThanOrEqual(PHONE.width);
}

async function requestRestart(request: APIRequestContext, ticket: string): Promise<number> {
  const created = await request.post("/api/v1/runbooks/rolling-restart/runs", {
    headers: bearer("operator"),
    data: { params: { service: "web", environment: "staging" }, ticket, confirm: "rolling-restart" },
  });
  expect(created.status()).toBe(201);
  return ((await created.json()) as { id: number }).id;
}

test("on a phone an approver signs in, finds the menu, approves one request from the list and rejects another from its page", async ({ browser, request }) => {
  const approved = await requestRestart(request, "CHG-390");
  const rejected = await requestRestart(request, "CHG-391");

  const page = await phone(browser);
  await page.goto("/signin");
  await expectNoSidewaysScroll(page, "the sign-in page");
  await page.screenshot({ path: "test-results/phone-signin.png", fullPage: true });
  await signIn(page, "operator2");
  await expectNoSidewaysScroll(page, "the runbook list");
  await expect(page.getByRole("button", { name: "Sign out" })).toBeInViewport();

  // The links fold behind Menu.
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Runs" })).toBeHidden();
  await page.getByText("Menu", { exact: true }).click();
  await expect(nav.getByRole("link", { name: /Approvals/ })).toBeVisible();
  await page.screenshot({ path: "test-results/phone-menu.png" });
  await nav.getByRole("link", { name: /Approvals/ }).click();
  await expect(page).toHaveURL(/\/approvals$/);
  await expect(nav.getByRole("link", { name: "Runs" })).toBeHidden();
  await expectNoSidewaysScroll(page, "the approvals page");

  const row = page.getByRole("region", { name: "Waiting for your approval" }).locator(`tr[data-run="${approved}"]`);
  await row.getByText("Approve…").click();
  await expect(row.getByTestId("approve").getByRole("button", { name: "Approve" })).toBeInViewport();
  await page.screenshot({ path: "test-results/phone-approvals.png", fullPage: true });
  await expectNoSidewaysScroll(page, "the approvals page with the approve form open");
  await row.getByTestId("approve").getByRole("button", { name: "Approve" }).click();
  await expect(page.locator(`tr[data-run="${approved}"]`)).toHaveCount(0);

  await page.goto(`/runs/${rejected}`);
  await expectNoSidewaysScroll(page, "a waiting run's page");
  const reject = page.getByTestId("reject");
  await reject.getByLabel("Why reject").fill("wrong change window");
  await expect(reject.getByRole("button", { name: "Reject" })).toBeVisible();
  await page.getByTestId("approve").getByRole("button", { name: "Approve" }).scrollIntoViewIfNeeded();
  await expect(page.getByTestId("approve").getByRole("button", { name: "Approve" })).toBeInViewport();
  await page.screenshot({ path: "test-results/phone-run-pending.png", fullPage: true });
  await reject.getByRole("button", { name: "Reject" }).click();
  await expect(page.locator(".run-title .badge")).toHaveText("rejected");
  await expectNoSidewaysScroll(page, "a rejected run's page");

  await page.goto(`/runs/${approved}`);
  await expect(page.locator(".run-title .badge")).toHaveText("succeeded", { timeout: 30_000 });
  await expectNoSidewaysScroll(page, "a finished run's page");
  await page.screenshot({ path: "test-results/phone-run-finished.png", fullPage: true });
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin/);
  await page.context().close();
});

test("at 1024px an admin's top bar stays one row", async ({ browser }) => {
  const page = await (await browser.newContext({ viewport: { width: 1024, height: 768 } })).newPage();
  await signIn(page, "admin");
  const bar = await page.locator(".topbar").boundingBox();
  expect(bar?.height ?? 0).toBeLessThan(64);
  await page.getByRole("navigation", { name: "Main" }).getByText("Admin").click();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" }).click();
  await expect(page).toHaveURL(/\/admin\/users$/);
  await page.screenshot({ path: "test-results/laptop-topbar.png" });
  await page.context().close();
});
