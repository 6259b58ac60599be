import { describe, expect, it } from "vitest";
import { parseRunbookYaml } from "@/lib/runbooks/source";
import { initialSample, PREVIEW_WORK_DIR, sampleInvocation } from "./sample-invocation";

function definitionOf(yaml: string) {
  const parsed = parseRunbookYaml(yaml);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.definition;
}

const scripted = definitionOf(`slug: deploy
title: Deploy
owner: platform
risk: medium
timeout: 5m
parameters:
  - { name: service, type: string, required: true }
  - { name: token, type: secret }
  - { name: count, type: integer, default: 2, max: 5 }
  - { name: dry_run, type: boolean }
env:
  LOG_LEVEL: info
  PD_TOKEN: { secret: pagerduty }
  KUBECONFIG: { inherit: true }
script: { language: bash, content: "echo hi" }
args: ["{{service}}", "{{token}}", "{{count}}"]
`);

describe("what would run", () => {
  it("starts from what the run form sends untouched", () => {
    expect(initialSample(scripted.parameters)).toEqual({ service: "", token: "", count: "2", dry_run: "false" });
  });

  it("shows the exact argv and environment with secrets masked", () => {
    const { argv, env, errors } = sampleInvocation(scripted, { service: "web; rm -rf /", token: "hunter22", count: "3", dry_run: "true" });
    expect(errors).toEqual([]);
    expect(argv).toEqual(["bash", `${PREVIEW_WORK_DIR}/.handrail-inline.sh`, "web; rm -rf /", "********", "3"]);
    const byName = Object.fromEntries(env.map((entry) => [entry.name, entry]));
    expect(byName.HANDRAIL_PARAM_TOKEN).toEqual({ name: "HANDRAIL_PARAM_TOKEN", value: "********", origin: "parameter" });
    expect(byName.PD_TOKEN).toEqual({ name: "PD_TOKEN", value: "********", origin: "secret" });
    expect(byName.LOG_LEVEL?.origin).toBe("definition");
    expect(byName.KUBECONFIG).toEqual({ name: "KUBECONFIG", value: "<the worker's KUBECONFIG>", origin: "inherited" });
    expect(byName.HANDRAIL_PARAM_DRY_RUN?.value).toBe("true");
    expect(JSON.stringify({ argv, env })).not.toContain("hunter22");
  });

  it("leaves out values that fail their rules and says why", () => {
    const { argv, errors } = sampleInvocation(scripted, { service: "", count: "9" });
    expect(argv.slice(2)).toEqual(["", "", ""]);
    expect(errors.map((error) => error.field)).toEqual(["params.service", "params.count"]);
  });

  it("renders a command's placeholders as single elements", () => {
    const command = definitionOf('slug: c\ntitle: C\nowner: o\nrisk: low\ntimeout: 1s\nparameters: [{ name: p, type: string }]\ncommand: ["grep", "-e", "{{p}}"]\n');
    expect(sampleInvocation(command, { p: "a b" }).argv).toEqual(["grep", "-e", "a b"]);
  });
});

describe("what would run, step by step", () => {
  const drill = definitionOf(`slug: drill
title: Drill
owner: platform
risk: low
timeout: 1m
parameters:
  - { name: cluster, type: string, default: orders }
  - { name: password, type: secret }
env:
  LOG_LEVEL: info
steps:
  - { id: check, title: Check, command: ["check", "{{cluster}}", "{{password}}"] }
  - { id: confirm, title: Confirm, manual: "Look." }
  - id: act
    title: Act
    when: steps.check.outcome == "succeeded"
    script: { language: bash, content: "echo $1" }
    args: ["{{steps.check.outputs.replica}}"]
    env: { TICKET: "{{steps.confirm.outputs.ticket}}" }
`);

  it("shows each step's argv with stand-ins for earlier outputs, secrets masked", () => {
    const preview = sampleInvocation(drill, { cluster: "orders", password: "hunter2" });
    expect(preview.argv).toEqual([]);
    expect(preview.env.map((entry) => entry.name)).toContain("LOG_LEVEL");
    expect(preview.steps?.map((step) => [step.id, step.kind, step.argv])).toEqual([
      ["check", "command", ["check", "orders", "********"]],
      ["confirm", "manual", []],
      ["act", "script", ["bash", `${PREVIEW_WORK_DIR}/.handrail-inline.sh`, "<steps.check.outputs.replica>"]],
    ]);
    const act = preview.steps?.[2];
    expect(act?.when).toBe('steps.check.outcome == "succeeded"');
    expect(act?.env.map((entry) => `${entry.name}=${entry.value}`)).toEqual([
      "TICKET=<steps.confirm.outputs.ticket>",
      "HANDRAIL_STEP=act",
      "HANDRAIL_STEP_ATTEMPT=1",
      `HANDRAIL_OUTPUTS=${PREVIEW_WORK_DIR}/.handrail-outputs`,
    ]);
  });
});
