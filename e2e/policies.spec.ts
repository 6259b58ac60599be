import { expect, test } from "@playwright/test";
import { bearer, signIn } from "./fixtures";

const invalidPolicy = `name: no-root-disk-scan
description: Scanning / takes minutes and thrashes the disk; pick a directory.
attach: { roles: [developer] }
rules:
  - action: run
    subject: Runbook
    conditions: { colour: red }
`;
const validPolicy = invalidPolicy.replace(
  "    conditions: { colour: red }\n",
  "    conditions: { slug: disk-usage }\n    params: { path: / }\n    inverted: true\n    reason: scanning / takes minutes; pick a directory\n",
);

test("an admin writes a policy, it stops a developer in the form and the API, and the access check names it", async ({ page, browser, request }) => {
  await signIn(page, "admin");
  await page.getByRole("navigation", { name: "Main" }).getByText("Admin").click();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Policies" }).click();
  await expect(page.getByRole("link", { name: "default-developer" })).toBeVisible();
  await page.getByRole("link", { name: "New policy" }).click();

  const editor = page.getByLabel("Policy (YAML)");
  await editor.fill(invalidPolicy);
  await expect(page.getByText('rule 1.conditions.colour: Runbook has no field "colour"')).toBeVisible();
  await expect(page.getByRole("button", { name: "Save new version" })).toBeDisabled();
  await editor.fill(validPolicy);
  await expect(page.getByText("The document is valid.")).toBeVisible();
  await page.getByLabel("Reason for this change").fill("INC-77: a full-disk scan stalled a host");
  await page.getByRole("button", { name: "Save new version" }).click();
  await expect(page).toHaveURL(/\/admin\/policies\/no-root-disk-scan$/);
  await expect(page.getByText("INC-77: a full-disk scan stalled a host")).toBeVisible();

  const developer = await (await browser.newContext()).newPage();
  await signIn(developer, "developer");
  await developer.goto("/runbooks/disk-usage");
  await developer.getByLabel("path").selectOption("/");
  await developer.getByRole("button", { name: "Run", exact: true }).click();
  await expect(developer.getByText("Your access does not allow running disk-usage with these values.")).toBeVisible();
  await expect(developer).toHaveURL(/\/runbooks\/disk-usage$/);

  const refused = await request.post("/api/v1/runbooks/disk-usage/runs", { headers: bearer("developer"), data: { params: { path: "/" } } });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error).toBe(
    "policy no-root-disk-scan (v1) rule 1 forbids role developer to run runbook disk-usage: scanning / takes minutes; pick a directory",
  );
  const allowed = await request.post("/api/v1/runbooks/disk-usage/runs", { headers: bearer("developer"), data: { params: { path: "/tmp" } } });
  expect(allowed.status()).toBe(201);

  await page.goto(`/access?user=developer%40handrail.local&action=run&runbook=disk-usage&params=${encodeURIComponent('{"path":"/"}')}`);
  const decision = page.getByRole("region", { name: "Decision" });
  await expect(decision).toContainText("Denied");
  await expect(decision).toContainText("policy no-root-disk-scan (v1) rule 1 forbids role developer");

  const check = await request.get("/api/v1/access/check?user=developer@handrail.local&action=run&runbook=disk-usage&params=%7B%22path%22%3A%22%2Fvar%22%7D", {
    headers: bearer("auditor"),
  });
  expect(await check.json()).toMatchObject({ allowed: true, rule: { policy: "default-developer" } });

  await page.goto("/runbooks/rolling-restart");
  const runners = page.getByRole("list", { name: "Who can run this" });
  await expect(runners).toContainText("operator@handrail.local");
  await expect(runners).not.toContainText("developer@handrail.local");

  await developer.goto("/admin/policies");
  await expect(developer.getByText("no rule lets role developer view policies")).toBeVisible();
});
