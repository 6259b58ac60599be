import { expect, test } from "@playwright/test";
import { signIn } from "./fixtures";

const nonceOf = (policy: string) => /'nonce-([^']+)'/.exec(policy)?.[1];

test("every page carries a fresh script nonce, and only scripts with it run", async ({ page, request }) => {
  const first = await request.get("/signin");
  const policy = first.headers()["content-security-policy"] ?? "";
  expect(policy).toContain("frame-ancestors 'none'");
  expect(policy).toContain("'strict-dynamic'");
  expect(policy).not.toContain("'unsafe-inline' 'strict"); // scripts: nonce only
  const nonce = nonceOf(policy);
  expect(nonce).toBeTruthy();
  const html = await first.text();
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length).toBeGreaterThan(0);
  expect(scripts.filter((tag) => !tag.includes(`nonce="${nonce}"`))).toEqual([]);
  const second = nonceOf((await request.get("/signin")).headers()["content-security-policy"] ?? "");
  expect(second).toBeTruthy();
  expect(second).not.toBe(nonce);

  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await signIn(page, "operator");
  await page.goto("/runbooks");
  await page.getByRole("link", { name: /health check/i }).first().click();
  await expect(page.getByRole("button", { name: /^Run/ }).first()).toBeEnabled();
  // The app's own scripts ran (the page is interactive) and none was refused.
  expect(violations).toEqual([]);

  // Markup that smuggled a script into a page (stored XSS, say) does not run it: it has no nonce.
  await page.route("**/runbooks", async (route) => {
    const response = await route.fetch();
    const body = (await response.text()).replace("<body>", '<body><script>window.injectedByAttacker = true;</script><img src="x" onerror="window.injectedByAttacker = true">');
    await route.fulfill({ response, body });
  });
  await page.goto("/runbooks");
  await expect(page.getByRole("heading", { name: "Runbooks" })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { injectedByAttacker?: boolean }).injectedByAttacker ?? false)).toBe(false);
  expect(violations.length).toBeGreaterThan(0);
});

test("the API answers with a policy that allows nothing to frame or script it", async ({ request }) => {
  const response = await request.get("/api/v1/health");
  expect(response.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(response.headers()["x-content-type-options"]).toBe("nosniff");
});
