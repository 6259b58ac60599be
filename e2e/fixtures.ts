import fs from "node:fs";
import path from "node:path";
import { expect, type Page } from "@playwright/test";
import { e2eDataDir } from "../playwright.config";

/** operator2 is a second operator: someone else to approve what the first one requests. */
export type Role = "admin" | "operator" | "operator2" | "developer" | "auditor";

export async function signIn(page: Page, role: Role): Promise<void> {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(`${role}@handrail.local`);
  await page.getByLabel("Password").fill("handrail-demo");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  // Home: the Dashboard for a developer, the runbooks for everyone else.
  await expect(page).toHaveURL(role === "developer" ? /\/dashboard$/ : /\/runbooks$/);
}

/** Bearer tokens the e2e server minted with `handrail token create` for each demo user. */
export function tokenFor(role: Role): string {
  const tokens = JSON.parse(fs.readFileSync(path.join(e2eDataDir, "e2e-tokens.json"), "utf8")) as Record<Role, string>;
  return tokens[role];
}

export function bearer(role: Role): Record<string, string> {
  return { Authorization: `Bearer ${tokenFor(role)}` };
}
