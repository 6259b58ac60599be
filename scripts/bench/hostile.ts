/**
 * Hostile input: requests that carry a catastrophic-backtracking pattern (`(a+)+b`) and values
 * that would take a backtracking engine years to refuse, each timed while `/api/v1/health` is
 * polled every 50 ms. The baseline is the health check with nothing else going on, in the same run.
 * The bar: each request answers within 3 s, health within 1 s while it runs.
 */
import { ms, ratio, record, sleep, summarize, type BenchServer, type Driver } from "./support";

interface Case {
  label: string;
  token: string;
  method: "POST";
  path: string;
  body: unknown;
}

const EVIL = "(a+)+b";

function runbookYaml(slug: string, defaultValue?: string): string {
  return [
    `slug: ${slug}`,
    "title: Bench hostile pattern",
    "owner: bench",
    "risk: low",
    "timeout: 10s",
    "parameters:",
    `  - name: value`,
    `    type: string`,
    `    pattern: '${EVIL}'`,
    ...(defaultValue === undefined ? [] : [`    default: '${defaultValue}'`]),
    'command: ["echo", "{{value}}"]',
    "",
  ].join("\n");
}

async function timed(server: BenchServer, entry: Case): Promise<{ status: number; elapsed: number; health: number[]; answer: string }> {
  const health: number[] = [];
  let done = false;
  const poll = (async () => {
    while (!done) {
      const started = performance.now();
      await fetch(`${server.base}/api/v1/health`).then((response) => response.text());
      health.push(performance.now() - started);
      await sleep(50);
    }
  })();
  const started = performance.now();
  const response = await fetch(`${server.base}/api/v1${entry.path}`, {
    method: entry.method,
    headers: { Authorization: `Bearer ${entry.token}`, "Content-Type": "application/json" },
    body: JSON.stringify(entry.body),
  });
  const answer = await response.text();
  const elapsed = performance.now() - started;
  done = true;
  await poll;
  return { status: response.status, elapsed, health, answer };
}

export async function benchHostile(server: BenchServer, driver: Driver): Promise<void> {
  const { developer, auditor } = server.personaTokens;
  if (!developer || !auditor) throw new Error("the hostile scenario needs a server started with personas");
  const thirty = `${"a".repeat(30)}c`;
  // Just under the 4,096-character bound on a parameter value, so the pattern itself is what answers.
  const long = `${"a".repeat(4_000)}c`;
  // A runbook with the pattern and no default, to send long values to its run form's API.
  await server.request("POST", "/runbooks", { yaml: runbookYaml("bench-hostile"), message: "bench: hostile pattern" });

  const cases: Case[] = [
    { label: "auditor saves a runbook (refused before parsing)", token: auditor, method: "POST", path: "/runbooks", body: { yaml: runbookYaml("bench-evil-1", thirty), message: "bench" } },
    { label: "admin saves, default of 30 a's + c", token: server.token, method: "POST", path: "/runbooks", body: { yaml: runbookYaml("bench-evil-2", thirty), message: "bench" } },
    { label: "admin saves, default of 4,000 a's + c", token: server.token, method: "POST", path: "/runbooks", body: { yaml: runbookYaml("bench-evil-3", long), message: "bench" } },
    { label: "developer proposes, default of 4,000 a's + c", token: developer, method: "POST", path: "/proposals", body: { yaml: runbookYaml("bench-evil-4", long), message: "bench" } },
    { label: "developer runs with 4,000 a's + c", token: developer, method: "POST", path: "/runbooks/bench-hostile/runs", body: { params: { value: long } } },
  ];

  console.log(`\n## hostile input (${driver}): pattern ${EVIL}, /api/v1/health polled every 50 ms during each request`);
  const idle: number[] = [];
  for (let index = 0; index < 40; index++) {
    const started = performance.now();
    await fetch(`${server.base}/api/v1/health`).then((response) => response.text());
    idle.push(performance.now() - started);
  }
  const baseline = summarize(idle);
  console.log(`  health, idle (40 requests): p50 ${ms(baseline.p50)} ms, max ${ms(baseline.max)} ms`);
  for (const entry of cases) {
    const result = await timed(server, entry);
    const health = summarize(result.health.length > 0 ? result.health : [0]);
    console.log(`  ${entry.label.padEnd(52)} ${String(result.status).padStart(3)} in ${ms(result.elapsed).padStart(7)} ms; health during it: ${result.health.length} checks, max ${ms(health.max)} ms`);
    console.log(`    ${result.answer.slice(0, 160)}`);
    record({
      scenario: "hostile",
      driver,
      cells: [entry.label, `HTTP ${result.status}`, `${ms(result.elapsed)} ms`, `health max ${ms(health.max)} ms`, `idle p50 ${ms(baseline.p50)} ms`, `× ${ratio(health.max, baseline.p50)}`],
    });
  }
}
