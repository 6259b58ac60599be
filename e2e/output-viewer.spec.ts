import { expect, test } from "@playwright/test";
import { signIn } from "./fixtures";

const LINES = 100_000;
// The script prints a header line and a closing line around the numbered ones.
const TOTAL = LINES + 2;

test("a developer reads a 100,000-line run: few rows in the DOM, jumps, server search, timestamps and the raw download", async ({ page }) => {
  await signIn(page, "developer");
  await page.goto("/runbooks/generate-output");
  await page.getByLabel("lines").fill(String(LINES));
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await expect(page).toHaveURL(/\/runs\/\d+$/);
  const runId = page.url().split("/").at(-1) ?? "";
  await expect(page.locator(".run-title .badge")).toHaveText("succeeded", { timeout: 30_000 });

  const output = page.getByTestId("run-output");
  const rows = output.locator(".line");
  // Bring the whole pane on screen, so "in viewport" below means visible in the pane.
  await page.locator(".output-panel").evaluate((panel) => panel.scrollIntoView({ block: "end" }));
  await expect(page.getByTestId("output-count")).toHaveText("100,002 lines");
  await expect(rows.first()).toBeVisible();
  expect(await rows.count()).toBeLessThan(300);

  await page.getByRole("button", { name: "Jump to start" }).click();
  await expect(output.locator('.line[data-seq="1"]')).toContainText(`generating ${LINES} lines`);
  await expect(output.locator('.line[data-seq="2"] .ansi-green-fg')).toHaveText("INFO");

  await page.getByRole("button", { name: "Jump to end" }).click();
  await expect(output.locator(`.line[data-seq="${TOTAL}"]`)).toBeInViewport();
  expect(await rows.count()).toBeLessThan(300);

  // The browser's find cannot see unrendered rows: the search runs on the server and scrolls to the match.
  await page.getByLabel("Search output").fill("line 77777/");
  await expect(page.getByTestId("search-status")).toHaveText(/^1 of 1\+?$/);
  const match = output.locator(".line-current");
  await expect(match).toContainText(`line 77777/${LINES}: INFO`);
  await expect(match).toBeInViewport();
  await expect(match.locator("mark")).toHaveText("line 77777/");
  // The search sees the text as shown: a phrase that runs into the green INFO is found and marked across the colour change.
  await page.getByLabel("Search output").fill(`77777/${LINES}: info`);
  await expect(page.getByTestId("search-status")).toHaveText(/^1 of 1\+?$/);
  await expect(match.locator("mark")).toHaveText([`77777/${LINES}: `, "INFO"]);
  await expect(match.locator(".ansi-green-fg mark")).toHaveText("INFO");
  await page.getByLabel("Search output").fill("ERROR");
  await expect(page.getByTestId("search-status")).toHaveText(/^1 of \d+\+?$/);
  await expect(output.locator(".line-current")).toContainText(`line 1000/${LINES}: ERROR`);
  // Errors were printed on stderr and are coloured as such (stderr and stdout are separate pipes,
  // so which stderr lines fall in the last screenful varies; a found line does not).
  await expect(output.locator(".line-current")).toHaveClass(/line-stderr/);
  await page.getByLabel("Search output").press("Enter");
  await expect(output.locator(".line-current")).toContainText(`line 2000/${LINES}: ERROR`);
  await expect(output.locator(".line-current")).toHaveClass(/line-stderr/);

  await expect(output.locator(".stamp")).toHaveCount(0);
  await page.getByLabel("Timestamps").check();
  await expect(output.locator(".line-current .stamp")).toHaveText(/^\d\d:\d\d:\d\d\.\d{3}$/);
  await page.getByLabel("Timestamps").uncheck();
  await expect(output.locator(".stamp")).toHaveCount(0);

  const link = page.getByRole("link", { name: "Download raw" });
  await expect(link).toHaveAttribute("href", `/api/v1/runs/${runId}/output?download=1`);
  const raw = await page.request.get(`/api/v1/runs/${runId}/output?download=1`);
  expect(raw.headers()["content-disposition"]).toBe(`attachment; filename="run-${runId}.log"`);
  const text = await raw.text();
  expect(text.split("\n")).toHaveLength(TOTAL + 1);
  expect(text).toContain(`line 77777/${LINES}: \u001b[32mINFO\u001b[0m`);
});
