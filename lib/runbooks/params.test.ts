import { describe, expect, it } from "vitest";
import { parameterSchema, type ParameterDefinition } from "./definition";
import { maskSecrets, validateParams } from "./params";

const define = (raw: Record<string, unknown>): ParameterDefinition => parameterSchema.parse(raw);

const parameters = [
  define({ name: "host", type: "string", required: true, pattern: "[a-z0-9.-]+" }),
  define({ name: "count", type: "integer", min: 1, max: 10, default: 3 }),
  define({ name: "ratio", type: "number", min: 0, max: 1 }),
  define({ name: "force", type: "boolean", default: false }),
  define({ name: "env", type: "enum", allowed: ["dev", "staging"], required: true }),
  define({ name: "token", type: "secret" }),
];

describe("validateParams", () => {
  it("accepts typed values and form strings alike, filling defaults", () => {
    const fromForm = validateParams(parameters, { host: "db-1.internal", count: "7", ratio: "0.5", force: "on", env: "dev" });
    const fromApi = validateParams(parameters, { host: "db-1.internal", count: 7, ratio: 0.5, force: true, env: "dev" });
    expect(fromForm).toEqual({ ok: true, values: { host: "db-1.internal", count: 7, ratio: 0.5, force: true, env: "dev" } });
    expect(fromApi).toEqual(fromForm);
    expect(validateParams(parameters, { host: "a", env: "staging" })).toEqual({ ok: true, values: { host: "a", count: 3, force: false, env: "staging" } });
  });

  it("names each field that is wrong and why", () => {
    const result = validateParams(parameters, { host: "x; rm -rf /", count: "2.5", ratio: 3, force: "maybe", env: "prod", extra: 1 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      { field: "params.extra", message: 'unknown parameter "extra"' },
      { field: "params.host", message: "host must match the pattern [a-z0-9.-]+" },
      { field: "params.count", message: "count must be a whole number" },
      { field: "params.ratio", message: "ratio must be at most 1" },
      { field: "params.force", message: "force must be true or false" },
      { field: "params.env", message: "env must be one of: dev, staging" },
    ]);
  });

  it("requires required parameters and anchors patterns to the whole value", () => {
    const missing = validateParams(parameters, { env: "dev" });
    expect(missing).toEqual({ ok: false, errors: [{ field: "params.host", message: "host is required" }] });
    const partial = validateParams(parameters, { host: "ok\nBAD VALUE", env: "dev" });
    expect(partial.ok).toBe(false);
  });

  it("masks secret values", () => {
    expect(maskSecrets(parameters, { host: "a", token: "hunter2" })).toEqual({ host: "a", token: "********" });
  });
});
