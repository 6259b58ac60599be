import { describe, expect, it } from "vitest";
import type { Draft } from "./draft";
import {
  addParameter,
  DEFAULT_SCRIPT,
  envFromRows,
  envRowsOf,
  executionModeOf,
  moveItem,
  parameterFieldApplies,
  removeAt,
  switchExecution,
  withField,
  withParameterType,
} from "./draft-edits";

describe("draft edits", () => {
  it("sets and removes fields without touching the original", () => {
    const draft: Draft = { slug: "a", description: "x" };
    expect(withField(draft, "description", undefined)).toEqual({ slug: "a" });
    expect(withField(draft, "title", "T")).toEqual({ slug: "a", description: "x", title: "T" });
    expect(draft).toEqual({ slug: "a", description: "x" });
  });

  it("moves and removes list items, ignoring moves off either end", () => {
    expect(moveItem(["a", "b", "c"], 2, -1)).toEqual(["a", "c", "b"]);
    expect(moveItem(["a", "b", "c"], 0, -1)).toEqual(["a", "b", "c"]);
    expect(moveItem(["a", "b", "c"], 2, 1)).toEqual(["a", "b", "c"]);
    expect(removeAt(["a", "b", "c"], 1)).toEqual(["a", "c"]);
  });

  it("adds parameters with unused names", () => {
    const once = addParameter({ parameters: [{ name: "param_2", type: "string" }] });
    expect(once.parameters?.map((parameter) => parameter.name)).toEqual(["param_2", "param_3"]);
    expect(addParameter({}).parameters).toEqual([{ name: "param_1", type: "string", required: false }]);
  });

  it("says which fields apply to which type", () => {
    expect(parameterFieldApplies("string", "pattern")).toBe(true);
    expect(parameterFieldApplies("integer", "pattern")).toBe(false);
    expect(parameterFieldApplies("number", "min")).toBe(true);
    expect(parameterFieldApplies("enum", "allowed")).toBe(true);
    expect(parameterFieldApplies("boolean", "allowed")).toBe(false);
    expect(parameterFieldApplies("secret", "default")).toBe(false);
  });

  it("drops what no longer applies when the type changes", () => {
    const parameter = { name: "n", type: "string", pattern: "[a-z]+", default: "abc", allowed: ["abc"] };
    expect(withParameterType(parameter, "integer")).toEqual({ name: "n", type: "integer", default: "abc", allowed: ["abc"] });
    expect(withParameterType(parameter, "secret")).toEqual({ name: "n", type: "secret", pattern: "[a-z]+", allowed: ["abc"] });
    expect(withParameterType(parameter, "boolean")).toEqual({ name: "n", type: "boolean" });
    expect(withParameterType({ name: "n", type: "integer", min: 1, max: 5, default: 3 }, "number")).toEqual({ name: "n", type: "number", min: 1, max: 5, default: 3 });
  });

  it("switches between command and script, restoring what each held", () => {
    const start: Draft = { slug: "a", command: ["df", "-h"] };
    expect(executionModeOf(start)).toBe("command");
    const toScript = switchExecution(start, "script", {});
    expect(toScript.draft).toEqual({ slug: "a", script: DEFAULT_SCRIPT });
    const edited = withField(toScript.draft, "args", ["x"]);
    const back = switchExecution(edited, "command", toScript.stash);
    expect(back.draft).toEqual({ slug: "a", command: ["df", "-h"] });
    expect(switchExecution(back.draft, "script", back.stash).draft).toEqual({ slug: "a", script: DEFAULT_SCRIPT, args: ["x"] });
  });

  it("turns env entries into rows and back", () => {
    const env = { LOG: "info", TOKEN: { secret: "pd" }, KUBECONFIG: { inherit: true } };
    const rows = envRowsOf(env);
    expect(rows).toEqual([
      { name: "LOG", kind: "literal", value: "info" },
      { name: "TOKEN", kind: "secret", value: "pd" },
      { name: "KUBECONFIG", kind: "inherit", value: "" },
    ]);
    expect(envFromRows(rows)).toEqual(env);
    expect(envFromRows([])).toBeUndefined();
  });
});
