import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { renderArgv, paramEnv } from "./argv";
import { parseDuration } from "../config/duration";
import { loadRunbooksDir } from "./load";
import { referencedSecrets, renderLockKey, runbookFileSchema } from "./definition";

function dirWith(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "handrail-load-"));
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
  return dir;
}

const valid = `
slug: ok-one
title: OK
owner: platform
risk: low
timeout: 30s
parameters:
  - { name: target, type: string }
command: ["echo", "{{target}}"]
`;

describe("runbook loader", () => {
  it("loads every shipped demo runbook without errors, with at least one high-risk", () => {
    const result = loadRunbooksDir(path.resolve("runbooks"));
    expect(result.errors).toEqual([]);
    expect(result.runbooks.length).toBeGreaterThanOrEqual(4);
    expect(result.runbooks.some((runbook) => runbook.definition.risk === "high")).toBe(true);
  });

  it("reports a bad file with file, field and reason and still loads the others", () => {
    const dir = dirWith({
      "a.yaml": valid,
      "b.yaml": valid.replace("ok-one", "bad-one").replace('"{{target}}"', '"--host={{target}}"'),
      "c.yaml": valid.replace("ok-one", "bad-two").replace("risk: low", "risk: extreme"),
      "d.yaml": "slug: [unclosed",
    });
    const result = loadRunbooksDir(dir);
    expect(result.runbooks.map((runbook) => runbook.definition.slug)).toEqual(["ok-one"]);
    expect(result.errors).toEqual([
      { file: path.join(dir, "b.yaml"), field: "command.1", message: '"--host={{target}}": a {{placeholder}} must be a whole argv element, not part of one' },
      { file: path.join(dir, "c.yaml"), field: "risk", message: expect.stringContaining("low") },
      { file: path.join(dir, "d.yaml"), field: "(file)", message: expect.stringContaining("is not valid YAML") },
    ]);
  });

  it("rejects placeholders naming no parameter, and command together with script", () => {
    const dir = dirWith({
      "a.yaml": valid.replace('"{{target}}"', '"{{nobody}}"'),
      "b.yaml": `${valid.replace("ok-one", "both")}script: x.sh\n`,
    });
    const { errors } = loadRunbooksDir(dir);
    expect(errors.map((error) => [error.field, error.message])).toEqual([
      ["command.1", "{{nobody}} names no parameter"],
      ["command", "give exactly one of command (an argv array), script (a file path or an inline script) or steps"],
    ]);
  });

  it("hashes content: the same definition gives the same version, a changed script a new one", () => {
    const script = (body: string) => `#!/bin/sh\n${body}\n`;
    const yaml = valid.replace('command: ["echo", "{{target}}"]', "script: run.sh");
    const first = loadRunbooksDir(dirWith({ "a.yaml": yaml, "run.sh": script("echo one") })).runbooks[0];
    const same = loadRunbooksDir(dirWith({ "a.yaml": yaml, "run.sh": script("echo one") })).runbooks[0];
    const changed = loadRunbooksDir(dirWith({ "a.yaml": yaml, "run.sh": script("echo two") })).runbooks[0];
    expect(first?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(same?.hash).toBe(first?.hash);
    expect(changed?.hash).not.toBe(first?.hash);
    expect(first?.definition.script?.content).toBe(script("echo one"));
  });
});

describe("argv rendering", () => {
  it("passes a hostile value as exactly one element and as an environment variable", () => {
    const hostile = "x; rm -rf / $(id)";
    expect(renderArgv(["grep", "-e", "{{pattern}}", "{{ file }}"], { pattern: hostile, file: "/var/log/syslog" })).toEqual([
      "grep",
      "-e",
      hostile,
      "/var/log/syslog",
    ]);
    expect(paramEnv({ pattern: hostile, dry_run: true })).toEqual({ HANDRAIL_PARAM_PATTERN: hostile, HANDRAIL_PARAM_DRY_RUN: "true" });
  });
});

describe("durations", () => {
  it("parses the units the format allows", () => {
    expect(parseDuration("90s")).toBe(90_000);
    expect(parseDuration("5m")).toBe(300_000);
    expect(parseDuration("1h")).toBe(3_600_000);
    expect(parseDuration("500ms")).toBe(500);
    expect(parseDuration("5 minutes")).toBeUndefined();
  });
});

describe("parameter defaults", () => {
  it("must obey the parameter's own rules", () => {
    const dir = dirWith({ "a.yaml": valid.replace("{ name: target, type: string }", "{ name: target, type: integer, max: 5, default: 9 }") });
    expect(loadRunbooksDir(dir).errors.map((error) => [error.field, error.message])).toEqual([
      ["parameters.0.default", "the default breaks the parameter's own rules: target must be at most 5"],
    ]);
  });
});

describe("executor fields of a definition", () => {
  const base = {
    slug: "limits",
    title: "Limits",
    owner: "platform",
    risk: "low",
    timeout: "30s",
    parameters: [
      { name: "host", type: "string" },
      { name: "password", type: "secret" },
    ],
    command: ["true"],
  };
  const problems = (extra: Record<string, unknown>) => {
    const parsed = runbookFileSchema.safeParse({ ...base, ...extra });
    return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
  };

  it("accepts a concurrency, a lock from parameters, and env of literals, secrets and inherited names", () => {
    expect(problems({ concurrency: 1, lock: "host:{{host}}", env: { A: "x", B: { secret: "pd-token" }, KUBECONFIG: { inherit: true } } })).toEqual([]);
    expect(renderLockKey("host:{{host}}/{{ missing }}", { host: "db1" })).toBe("host:db1/");
    expect(referencedSecrets({ env: { A: "x", B: { secret: "pd-token" } } })).toEqual(["pd-token"]);
  });

  it("checks parameter patterns with a linear-time engine: a catastrophic pattern answers at once", () => {
    const evil = { name: "target", type: "string", pattern: "(a+)+b", default: `${"a".repeat(40)}c` };
    expect(problems({ parameters: [evil] })).toEqual(["parameters.0.default: the default breaks the parameter's own rules: target must match the pattern (a+)+b"]);
    expect(problems({ parameters: [{ name: "target", type: "string", pattern: "(?=a)a" }] })[0]).toMatch(/^parameters\.0\.pattern: is not a valid pattern \(RE2 syntax\): invalid or unsupported Perl syntax/);
    expect(problems({ parameters: [{ name: "target", type: "string", pattern: "(a)\\1" }] })[0]).toMatch(/is not a valid pattern \(RE2 syntax\)/);
  });

  it("bounds the timeout at 7 days, so every run of it can be stored", () => {
    expect(problems({ timeout: "168h" })).toEqual([]);
    expect(problems({ timeout: "169h" })).toEqual(["timeout: must be at most 7 days (168h)"]);
    expect(problems({ timeout: "597h" })).toEqual(["timeout: must be at most 7 days (168h)"]);
  });

  it("names what is wrong with a limit, a lock or an environment entry", () => {
    expect(problems({ concurrency: 0 })).toEqual(["concurrency: Too small: expected number to be >=1"]);
    expect(problems({ lock: "{{nope}}" })).toEqual(["lock: {{nope}} names no parameter"]);
    expect(problems({ lock: "{{password}}" })[0]).toContain("is a secret parameter");
    expect(problems({ env: { AUTH_SECRET: { inherit: true } } })).toEqual(["env.AUTH_SECRET: AUTH_SECRET belongs to the Handrail server and is never passed to runs"]);
    expect(problems({ env: { DATABASE_URL: { inherit: true } } })[0]).toContain("never passed to runs");
    expect(problems({ env: { HANDRAIL_PARAM_X: "1" } })).toEqual(["env.HANDRAIL_PARAM_X: HANDRAIL_ variables are set by Handrail itself"]);
    expect(problems({ env: { "BAD-NAME": "1" } })[0]).toContain("must be an environment variable name");
    expect(problems({ env: { TOKEN: { secret: "has space" } } })[0]).toMatch(/^env\.TOKEN/);
  });
});

describe("a view runbook's contract: it only looks", () => {
  const view = (extra: Record<string, unknown>) => ({ slug: "a-view", title: "A view", owner: "platform", risk: "low", timeout: "30s", view: true, command: ["/bin/echo", "{}"], ...extra });
  const problems = (definition: Record<string, unknown>) =>
    runbookFileSchema.safeParse(definition).error?.issues.map((issue) => [issue.path.join("."), issue.message]) ?? [];

  it("accepts a low-risk view whose parameters all have defaults", () => {
    expect(problems(view({ parameters: [{ name: "host", type: "string", default: "api" }] }))).toEqual([]);
  });

  it("refuses, naming the field, whatever would need a person or could act", () => {
    expect(problems(view({ risk: "medium" }))).toEqual([["risk", "a view runbook only looks: its risk must be low, not medium"]]);
    expect(problems(view({ approval: { required: 1 } }))[0]?.[0]).toBe("approval");
    expect(problems(view({ dryRun: { args: ["--dry-run"] } }))[0]?.[0]).toBe("dryRun");
    expect(problems(view({ parameters: [{ name: "host", type: "string", required: true }] }))).toEqual([
      ["parameters.0.default", 'a view runbook only looks: its panel refreshes it without asking, so "host" needs a default'],
    ]);
    const steps = [
      { id: "look", title: "Look", command: ["/bin/true"] },
      { id: "tick", title: "Tick", manual: "Check the graph" },
      { id: "other", title: "Other", runbook: "rolling-restart" },
    ];
    expect(problems(view({ command: undefined, steps })).map(([field]) => field)).toEqual(["steps.1.manual", "steps.2.runbook"]);
  });
});
