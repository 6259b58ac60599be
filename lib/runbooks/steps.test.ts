import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { runbookFileSchema } from "./definition";
import { parseRunbookYaml, definitionToYaml } from "./source";
import { failurePolicy } from "./steps";
import { parseStepOutputs } from "./step-outputs";
import { renderArgv } from "./argv";

const base = `
slug: drill
title: Drill
owner: platform
risk: low
timeout: 30s
parameters:
  - { name: region, type: string }
  - { name: password, type: secret }
`;

function problems(stepsYaml: string): string[] {
  const parsed = runbookFileSchema.safeParse(YAML.parse(`${base}${stepsYaml}`));
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
}

describe("steps in a runbook", () => {
  it("accepts automated and manual steps that read parameters and earlier steps", () => {
    expect(
      problems(`
steps:
  - { id: check, title: Check, command: ["echo", "{{region}}"] }
  - { id: confirm, title: Confirm, manual: "Look at **the dashboard**", note: required, value: { name: ticket, type: string, pattern: "INC-[0-9]+" } }
  - id: act
    title: Act
    when: steps.check.outcome == "succeeded" && params.region == "eu"
    script: { language: bash, content: "echo $1" }
    args: ["{{steps.confirm.outputs.ticket}}"]
    env: { TICKET: "{{steps.confirm.outputs.ticket}}" }
    timeout: 5m
    onFailure: retry(3, 10s)
`),
    ).toEqual([]);
  });

  it.each([
    ["one body", `steps:\n  - { id: a, title: A, command: ["x"], manual: "y" }`, "steps.0.command: give exactly one of command, script, manual or runbook"],
    ["params without runbook", `steps:\n  - { id: a, title: A, command: ["x"], params: { a: 1 } }`, "steps.0.params: params go with runbook: the parameters of the runbook a step runs"],
    ["a runbook step retried", `steps:\n  - { id: a, title: A, runbook: other, onFailure: "retry(2)" }`, "steps.0.onFailure: a runbook step is not retried: use stop or continue, and retries in the runbook it runs"],
    ["a runbook step's timeout", `steps:\n  - { id: a, title: A, runbook: other, timeout: 5m }`, "steps.0.timeout: timeout does not apply to a runbook step: the runbook it runs has its own"],
    ["a bad runbook slug", `steps:\n  - { id: a, title: A, runbook: "Other One" }`, "steps.0.runbook: must be a runbook slug"],
    ["a secret passed on", `steps:\n  - { id: a, title: A, runbook: other, params: { pw: "{{password}}" } }`, "steps.0.params.pw: {{password}} is a secret: secrets are not passed to another runbook (it declares its own)"],
    ["part of a value", `steps:\n  - { id: a, title: A, runbook: other, params: { host: "db-{{region}}" } }`, 'steps.0.params.host: "db-{{region}}": a {{placeholder}} must be the whole value'],
    ["a later step's output", `steps:\n  - { id: a, title: A, runbook: other, params: { n: "{{steps.b.outputs.n}}" } }\n  - { id: b, title: B, command: ["x"] }`, 'steps.0.params.n: {{steps.b.outputs.n}}: "b" is not an earlier step'],
    ["steps beside a command", `command: ["x"]\nsteps:\n  - { id: a, title: A, command: ["x"] }`, "command: give exactly one of command (an argv array), script (a file path or an inline script) or steps"],
    ["unique ids", `steps:\n  - { id: a, title: A, command: ["x"] }\n  - { id: a, title: B, command: ["y"] }`, 'steps.1.id: duplicate step id "a"'],
    ["id syntax", `steps:\n  - { id: Check-1, title: A, command: ["x"] }`, "steps.0.id: must be a lowercase letter followed by lowercase letters, digits or _ (at most 40)"],
    ["later step's output", `steps:\n  - { id: a, title: A, command: ["{{steps.b.outputs.x}}"] }\n  - { id: b, title: B, command: ["y"] }`, 'steps.0.command.0: {{steps.b.outputs.x}}: "b" is not an earlier step'],
    ["unknown parameter", `steps:\n  - { id: a, title: A, command: ["{{nope}}"] }`, "steps.0.command.0: {{nope}} names no parameter"],
    ["a secret in a condition", `steps:\n  - { id: a, title: A, when: 'params.password == "x"', command: ["y"] }`, "steps.0.when: params.password is a secret: a condition's result is shown to everyone, so it cannot read a secret"],
    ["a call in a condition", `steps:\n  - { id: a, title: A, when: "exit(1)", command: ["y"] }`, "steps.0.when: a function call is not allowed in a condition"],
    ["a later step in a condition", `steps:\n  - { id: a, title: A, when: 'steps.a.outcome == "failed"', command: ["y"] }`, "steps.0.when: steps.a is not an earlier step"],
    ["retry bounds", `steps:\n  - { id: a, title: A, command: ["y"], onFailure: "retry(11)" }`, "steps.0.onFailure: retries must be 1 to 10, with a backoff of at most 1h"],
    ["failure policy", `steps:\n  - { id: a, title: A, command: ["y"], onFailure: ignore }`, "steps.0.onFailure: must be stop, continue, or retry(n) / retry(n, 10s)"],
    ["timeout on a manual step", `steps:\n  - { id: a, title: A, manual: "do it", timeout: 5m }`, "steps.0.timeout: timeout applies to steps that run a process; a manual step waits for a person"],
    ["approval on a manual step", `steps:\n  - { id: a, title: A, manual: "do it", approval: { required: 1 } }`, "steps.0.approval: approval applies to steps that run a process; a manual step waits for a person"],
    ["approval with an unknown field", `steps:\n  - { id: a, title: A, command: ["y"], approval: { count: 2 } }`, 'steps.0.approval: Unrecognized key: "count"'],
    ["a secret value", `steps:\n  - { id: a, title: A, manual: "do it", value: { name: pin, type: secret } }`, "steps.0.value.type: a manual step's value is shown to everyone watching; it cannot be a secret"],
    ["partial placeholder", `steps:\n  - { id: a, title: A, command: ["--x={{region}}"] }`, 'steps.0.command.0: "--x={{region}}": a {{placeholder}} must be a whole argv element, not part of one'],
    ["reserved env", `steps:\n  - { id: a, title: A, command: ["y"], env: { HANDRAIL_OUTPUTS: x } }`, "steps.0.env.HANDRAIL_OUTPUTS: HANDRAIL_ variables are set by Handrail itself"],
    ["dry-run args", `dryRun: { args: ["--dry"] }\nsteps:\n  - { id: a, title: A, command: ["y"] }`, "dryRun.args: dry-run args would not say which step they go to; with steps, name a boolean parameter instead"],
  ])("names the field: %s", (_, yaml, expected) => {
    expect(problems(yaml)).toContain(expected);
  });

  it("reads back through the editor's YAML with inline step scripts", () => {
    const parsed = parseRunbookYaml(`${base}steps:\n  - { id: a, title: A, script: { language: bash, content: "echo hi" } }\n  - { id: b, title: B, manual: "tick" }\n`);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.definition.steps?.[0]?.script).toEqual({ path: "inline.sh", content: "echo hi", language: "bash", inline: true });
    const again = parseRunbookYaml(definitionToYaml(parsed.definition));
    expect(again).toEqual(parsed);
    expect(parseRunbookYaml(`${base}steps:\n  - { id: a, title: A, script: a.sh }\n`)).toMatchObject({ ok: false, errors: [{ field: "steps.0.script" }] });
  });

  it("reads failure policies", () => {
    expect(failurePolicy(undefined)).toEqual({ kind: "stop" });
    expect(failurePolicy("continue")).toEqual({ kind: "continue" });
    expect(failurePolicy("retry(2)")).toEqual({ kind: "retry", times: 2, backoffMs: 5000 });
    expect(failurePolicy("retry( 3 , 250ms )")).toEqual({ kind: "retry", times: 3, backoffMs: 250 });
  });
});

describe("step outputs", () => {
  it("reads key=value lines as text, reporting lines it does not take", () => {
    const parsed = parseStepOutputs("lag=5\nurl=http://x/?a=b\n\nbad line\n1x=2\n__proto__=polluted\nlag=6\r\n");
    expect(parsed.outputs).toEqual(Object.fromEntries([["lag", "6"], ["url", "http://x/?a=b"], ["__proto__", "polluted"]]));
    expect(Object.getPrototypeOf(parsed.outputs)).toBe(Object.prototype);
    expect(parsed.problems).toEqual(["line 4: expected key=value", 'line 5: "1x" is not a key (letters, digits and _, at most 64, not starting with a digit)']);
    expect(parseStepOutputs(`x=${"a".repeat(5000)}`).problems).toEqual(["line 1: the value of x is longer than 4096 characters"]);
  });

  it("substitutes a value once, as one argv element", () => {
    const outputs = { a: { x: "{{password}}", y: "$(id); rm -rf /" } };
    expect(renderArgv(["echo", "{{steps.a.outputs.x}}", "{{steps.a.outputs.y}}", "{{steps.a.outputs.constructor}}", "{{steps.toString.outputs.x}}"], { password: "hunter2" }, outputs)).toEqual([
      "echo",
      "{{password}}",
      "$(id); rm -rf /",
      "",
      "",
    ]);
  });
});
