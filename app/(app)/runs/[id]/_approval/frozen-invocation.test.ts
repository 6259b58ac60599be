import { describe, expect, it } from "vitest";
import type { RunbookDefinition } from "@/lib/runbooks/definition";
import { SECRET_MASK } from "@/lib/runbooks/params";
import { frozenInvocation } from "./frozen-invocation";

const definition: RunbookDefinition = {
  slug: "scale-service",
  title: "Scale",
  description: "",
  owner: "platform",
  tags: [],
  risk: "medium",
  timeout: "1m",
  parameters: [
    { name: "service", type: "string", required: true },
    { name: "token", type: "secret", required: true },
  ],
  script: { path: "inline.sh", content: "#!/bin/sh\n", language: "bash", inline: true },
  args: ["{{service}}"],
  env: { API_KEY: { secret: "deploy-key" }, REGION: "eu-1", HOME: { inherit: true } },
  dryRun: { args: ["--dry-run"] },
};

describe("what a waiting run will execute", () => {
  it("renders the pinned version with the frozen parameters, secrets masked", () => {
    const { argv, env } = frozenInvocation(definition, { id: 7, params: { service: "api", token: SECRET_MASK }, dryRun: false });
    expect(argv).toEqual(["bash", "/tmp/handrail-run-…/.handrail-inline.sh", "api"]);
    const byName = Object.fromEntries(env.map((entry) => [entry.name, entry.value]));
    expect(byName).toMatchObject({ API_KEY: SECRET_MASK, REGION: "eu-1", HOME: "<the worker's HOME>", HANDRAIL_RUN_ID: "7", HANDRAIL_PARAM_TOKEN: SECRET_MASK });
    expect(JSON.stringify(env)).not.toContain("deploy-key\"");
  });

  it("a dry run gets the dry-run args and flag", () => {
    const { argv, env } = frozenInvocation(definition, { id: 8, params: { service: "api", token: SECRET_MASK }, dryRun: true });
    expect(argv.at(-1)).toBe("--dry-run");
    expect(env.find((entry) => entry.name === "HANDRAIL_DRY_RUN")?.value).toBe("1");
  });
});
