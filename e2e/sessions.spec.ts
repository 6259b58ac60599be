import { expect, test } from "@playwright/test";
import { signIn } from "./fixtures";

test("signing out in one browser ends the session everywhere its cookie was copied", async ({ browser }) => {
  const original = await browser.newContext();
  const page = await original.newPage();
  await signIn(page, "developer");
  await page.goto("/runbooks");
  await expect(page.getByRole("heading", { name: "Runbooks" })).toBeVisible();

  // An attacker copies the session cookie into a browser of their own: it works, for now.
  const copy = await browser.newContext();
  await copy.addCookies(await original.cookies());
  const stolen = await copy.newPage();
  await stolen.goto("/runs");
  await expect(stolen).toHaveURL(/\/runs$/);
  expect((await copy.request.get("/api/v1/runs?limit=1")).status()).toBe(200);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin/);

  // The copy is dead: pages send it to sign in, the API answers 401.
  await stolen.goto("/runs");
  await expect(stolen).toHaveURL(/\/signin/);
  expect((await copy.request.get("/api/v1/runs?limit=1")).status()).toBe(401);
  await original.close();
  await copy.close();
});
