import { expect, test } from "@playwright/test";
import { signIn } from "./fixtures";

const unique = () => Math.random().toString(36).slice(2, 8);

test("an admin creates a user, with field errors for bad input, and adds them to a team", async ({ page }) => {
  const suffix = unique();
  const email = `new-${suffix}@example.test`;
  const team = `team-${suffix}`;
  await signIn(page, "admin");

  await page.goto("/admin/users");
  await expect(page.getByRole("heading", { name: "Users" })).toBeVisible();
  const create = page.getByTestId("create-user");
  await create.getByLabel("Email").fill("not-an-email");
  await create.getByLabel("Name").fill("New Person");
  await create.getByLabel("Initial password").fill("a long password");
  await create.getByRole("button", { name: "Create user" }).click();
  await expect(create.getByRole("alert")).toHaveText("email must be an email address");

  await expect(create.getByLabel("Name")).toHaveValue("New Person");
  await create.getByLabel("Email").fill(email);
  await create.getByLabel("Initial password").fill("a long password");
  await create.getByRole("button", { name: "Create user" }).click();
  await expect(create.getByRole("status")).toHaveText(`Created developer ${email}.`);
  const row = page.locator(`tr[data-email="${email}"]`);
  await expect(row).toContainText("New Person");
  await expect(row).toContainText("active");
  await page.screenshot({ path: test.info().outputPath("admin-users.png"), fullPage: true });

  await page.goto("/admin/teams");
  const createTeam = page.getByTestId("create-team");
  await createTeam.getByLabel("Name").fill("Bad Name");
  await createTeam.getByRole("button", { name: "Create team" }).click();
  await expect(createTeam.getByRole("alert")).toContainText("name must be lowercase letters");
  await createTeam.getByLabel("Name").fill(team);
  await createTeam.getByLabel("Description").fill("Made by the e2e suite");
  await createTeam.getByRole("button", { name: "Create team" }).click();
  await expect(createTeam.getByRole("status")).toHaveText(`Created team ${team}.`);

  const teamRow = page.locator(`tr[data-team="${team}"]`);
  await teamRow.getByLabel(`Add a member to ${team}`).selectOption(email);
  await teamRow.getByRole("button", { name: "Add" }).click();
  await expect(teamRow).toContainText(email);
  await page.screenshot({ path: test.info().outputPath("admin-teams.png"), fullPage: true });

  await page.goto("/admin/users");
  await expect(page.locator(`tr[data-email="${email}"]`)).toContainText(team);
});

test("a developer creates a read-only token, copies it once, uses it within its scope, and revokes it", async ({ page, request, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const label = `e2e ${unique()}`;
  await signIn(page, "developer");
  await page.goto("/tokens");
  const create = page.getByTestId("create-token");
  await create.getByLabel("Label").fill(label);
  await create.getByLabel("Expires in").selectOption("7");
  await create.getByRole("checkbox", { name: /^read/ }).check();
  await create.getByRole("button", { name: "Create token" }).click();
  await expect(create.getByRole("status")).toContainText(`scopes read, expiring ${new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10)}`);
  const secret = (await page.getByTestId("secret").textContent()) ?? "";
  expect(secret).toMatch(/^hr_[A-Za-z0-9_-]{40,}$/);
  await page.getByTestId("copy-secret").click();
  await expect(page.getByTestId("copy-secret")).toHaveText("Copied");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);

  const row = page.locator(`tr[data-label="${label}"]`);
  await expect(row).toContainText(secret.slice(0, 10));
  await expect(row).toContainText("read");
  await expect(row.getByTestId("token-last-used")).toHaveText("never");

  const used = await request.get("/api/v1/runs", { headers: { Authorization: `Bearer ${secret}` } });
  expect(used.status()).toBe(200);
  const outsideScope = await request.post("/api/v1/runbooks/health-check/runs", { headers: { Authorization: `Bearer ${secret}` }, data: { params: {} } });
  expect(outsideScope.status()).toBe(403);
  expect((await outsideScope.json()).error).toContain('lacks the "run" scope');

  await page.reload();
  await expect(page.getByTestId("secret")).toHaveCount(0);
  await expect(row.getByTestId("token-last-used")).toContainText(/127\.0\.0\.1|::1/);
  await page.screenshot({ path: test.info().outputPath("tokens.png"), fullPage: true });

  await row.getByRole("button", { name: "Revoke" }).click();
  await expect(row).toContainText("revoked");
  const refused = await request.get("/api/v1/runs", { headers: { Authorization: `Bearer ${secret}` } });
  expect(refused.status()).toBe(401);
});

test("an admin creates a service account and a token for it; its actions are marked in the audit log", async ({ page, request }) => {
  const name = `ci-${unique()}`.toLowerCase().replace(/[^a-z0-9-]/g, "-");
  await signIn(page, "admin");
  await page.goto("/admin/users");
  const create = page.getByTestId("create-service-account");
  await create.getByLabel("Name").fill(name);
  await create.getByLabel("What it is for").fill("deploy pipeline");
  await create.getByRole("button", { name: "Create service account" }).click();
  await expect(create.getByRole("status")).toContainText(`${name}@service.invalid`);
  await expect(page.locator(`tr[data-email="${name}@service.invalid"]`)).toContainText("service account");

  await page.goto("/tokens");
  const token = page.getByTestId("create-token");
  await token.getByLabel("Label").fill("deploy");
  await token.getByLabel("For", { exact: true }).selectOption(`${name}@service.invalid`);
  await token.getByRole("button", { name: "Create token" }).click();
  await expect(token.getByRole("status")).toContainText(`for ${name}@service.invalid`);
  const secret = (await page.getByTestId("secret").textContent()) ?? "";
  await expect(page.getByTestId("service-tokens-table").locator(`tr[data-label="deploy"]`)).toContainText(name);
  await page.screenshot({ path: test.info().outputPath("tokens-service-account.png"), fullPage: true });

  const run = await request.post("/api/v1/runbooks/health-check/runs", { headers: { Authorization: `Bearer ${secret}` }, data: { params: {} } });
  expect(run.status()).toBe(201);
  await page.goto(`/audit?actor=${encodeURIComponent(`${name}@service.invalid`)}`);
  await expect(page.getByText("service account").first()).toBeVisible();
});

test("a developer opening the admin pages is refused", async ({ page }) => {
  await signIn(page, "developer");
  await page.goto("/admin/users");
  await expect(page.getByText("no rule lets role developer manage users")).toBeVisible();
  await expect(page.getByTestId("users-table")).toHaveCount(0);
  await page.goto("/admin/teams");
  await expect(page.getByText("no rule lets role developer manage teams")).toBeVisible();
});
