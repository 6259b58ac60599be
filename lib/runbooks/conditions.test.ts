import { describe, expect, it } from "vitest";
import { conditionHolds, ConditionError, parseCondition, type ConditionContext } from "./conditions";

const context: ConditionContext = {
  params: { env: "production", replicas: 3, force: false },
  steps: {
    check: { outcome: "succeeded", outputs: { lag: "12", region: "eu-west" } },
    drain: { outcome: "failed", outputs: {} },
  },
};

describe("step conditions", () => {
  it.each([
    ['params.env == "production"', true],
    ['params.env != "production"', false],
    ["params.replicas >= 3 && params.replicas < 4", true],
    ["steps.check.outputs.lag < 30", true],
    ["steps.check.outputs.lag == 12", true],
    ['steps.check.outcome == "succeeded" && steps.drain.outcome == "failed"', true],
    ["!params.force", true],
    ["params.force || steps.check.outputs.region == 'eu-west'", true],
    ["steps.check.outputs.missing == null", true],
    ["(params.replicas > 5) || (params.replicas < 2)", false],
    ["-1 < 0", true],
  ])("%s is %s", (text, expected) => {
    expect(conditionHolds(text, context)).toBe(expected);
  });

  it("reads a value as data: an output holding an expression is just text", () => {
    const hostile: ConditionContext = { params: {}, steps: { a: { outcome: "succeeded", outputs: { x: 'process.exit(1) || "1" == "1"' } } } };
    expect(conditionHolds('steps.a.outputs.x == "1"', hostile)).toBe(false);
  });

  it.each([
    ["process.exit(1)", /function call/],
    ["params['env']", /computed names/],
    ["a = 1", /cannot be parsed|not allowed/],
    ["params.env + 'x' == 'y'", /operator \+ is not allowed/],
    ["params.env ? true : false", /\?: expression/],
    ["constructor.prototype", /not something a condition can read/],
    ["steps.check.outputs", /not something a condition can read/],
    ["params.env == 'a'; params.env == 'b'", /more than one expression|cannot be parsed/],
    ["[1, 2]", /array/],
    ["params.env ==", /cannot be parsed/],
  ])("refuses %s", (text, message) => {
    expect(() => parseCondition(text)).toThrow(message);
  });

  it("bounds length and nesting", () => {
    expect(() => parseCondition(`params.a == "${"x".repeat(600)}"`)).toThrow(/at most 500 characters/);
    expect(() => parseCondition(`${"!".repeat(40)}params.a`)).toThrow(/nested more than/);
    expect(() => parseCondition("params.a == '\uD800'")).toThrow(/valid Unicode/);
  });

  it("refuses to order what is not a number, at evaluation", () => {
    expect(() => conditionHolds("steps.check.outputs.region < 3", context)).toThrow(ConditionError);
  });

  it("lists what a condition reads, for validation", () => {
    expect(parseCondition('params.env == "x" && steps.check.outputs.lag > 1 || steps.drain.outcome == "failed"').references).toEqual([
      { kind: "param", name: "env" },
      { kind: "output", step: "check", key: "lag" },
      { kind: "outcome", step: "drain" },
    ]);
  });
});
