import jsep from "jsep";

/**
 * A step's `when:` condition: a small expression language, parsed by jsep and evaluated by the
 * walker below, never by `eval`. It reads parameters and earlier steps' outcomes and outputs:
 *
 *   params.env == "production" && steps.check.outcome == "succeeded" && steps.check.outputs.lag < 30
 *
 * Literals (strings, numbers, true, false, null), the names above, `== != < <= > >=`, `&& || !`
 * and parentheses. Pure and browser-safe: the editor validates with exactly what the worker runs.
 */

export const MAX_CONDITION_LENGTH = 500;
const MAX_DEPTH = 32;

/** What a condition may read: `params.<name>`, `steps.<id>.outcome`, `steps.<id>.outputs.<key>`. */
export type ConditionReference = { kind: "param"; name: string } | { kind: "outcome"; step: string } | { kind: "output"; step: string; key: string };

type Value = string | number | boolean | null;

export interface ConditionContext {
  params: Record<string, string | number | boolean>;
  steps: Record<string, { outcome: string; outputs: Record<string, string> }>;
}

type Node = jsep.Expression;

const comparisons = new Set(["==", "!=", "<", "<=", ">", ">="]);
const logical = new Set(["&&", "||"]);

export class ConditionError extends Error {}

function memberPath(node: Node): string[] | undefined {
  if (node.type === "Identifier") return [(node as jsep.Identifier).name];
  if (node.type !== "MemberExpression") return undefined;
  const member = node as jsep.MemberExpression;
  if (member.computed || member.property.type !== "Identifier") return undefined;
  const head = memberPath(member.object);
  return head ? [...head, (member.property as jsep.Identifier).name] : undefined;
}

function referenceOf(path: string[]): ConditionReference {
  const [root, name, field, key, ...rest] = path;
  if (root === "params" && name !== undefined && field === undefined) return { kind: "param", name };
  if (root === "steps" && name !== undefined && field === "outcome" && key === undefined) return { kind: "outcome", step: name };
  if (root === "steps" && name !== undefined && field === "outputs" && key !== undefined && rest.length === 0) return { kind: "output", step: name, key };
  throw new ConditionError(`"${path.join(".")}" is not something a condition can read (params.<name>, steps.<id>.outcome, steps.<id>.outputs.<key>)`);
}

function check(node: Node, depth: number, found: ConditionReference[]): void {
  if (depth > MAX_DEPTH) throw new ConditionError(`is nested more than ${MAX_DEPTH} levels deep`);
  switch (node.type) {
    case "Literal":
      return;
    case "Identifier":
    case "MemberExpression": {
      const path = memberPath(node);
      if (!path) throw new ConditionError("computed names such as a[b] are not allowed; write params.name or steps.id.outputs.key");
      if (path.length === 1 && ["true", "false", "null"].includes(path[0] ?? "")) return;
      found.push(referenceOf(path));
      return;
    }
    case "UnaryExpression": {
      const unary = node as jsep.UnaryExpression;
      if (unary.operator !== "!" && unary.operator !== "-") throw new ConditionError(`operator ${unary.operator} is not allowed`);
      return check(unary.argument, depth + 1, found);
    }
    case "BinaryExpression": {
      const binary = node as jsep.BinaryExpression;
      if (!comparisons.has(binary.operator) && !logical.has(binary.operator)) {
        throw new ConditionError(`operator ${binary.operator} is not allowed (use == != < <= > >= && || !)`);
      }
      check(binary.left, depth + 1, found);
      return check(binary.right, depth + 1, found);
    }
    default:
      throw new ConditionError(`${describeNode(node)} is not allowed in a condition`);
  }
}

function describeNode(node: Node): string {
  switch (node.type) {
    case "CallExpression":
      return "a function call";
    case "Compound":
      return "more than one expression";
    case "ConditionalExpression":
      return "a ?: expression";
    case "ArrayExpression":
      return "an array";
    case "ThisExpression":
      return "this";
    default:
      return `a ${node.type}`;
  }
}

/** Parses and checks a condition; throws ConditionError naming the problem. Returns what it reads. */
export function parseCondition(text: string): { ast: Node; references: ConditionReference[] } {
  if (text.length > MAX_CONDITION_LENGTH) throw new ConditionError(`must be at most ${MAX_CONDITION_LENGTH} characters`);
  if (!text.isWellFormed()) throw new ConditionError("must be valid Unicode text");
  let ast: Node;
  try {
    ast = jsep(text);
  } catch (error) {
    throw new ConditionError(`cannot be parsed: ${(error as Error).message}`);
  }
  const references: ConditionReference[] = [];
  check(ast, 0, references);
  return { ast, references };
}

function asNumber(value: Value): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string" && /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(value)) return Number(value);
  return undefined;
}

function truthy(value: Value): boolean {
  if (typeof value === "string") return value !== "" && value !== "false" && value !== "0";
  if (typeof value === "number") return value !== 0;
  return value === true;
}

function equal(left: Value, right: Value): boolean {
  const [a, b] = [asNumber(left), asNumber(right)];
  if (a !== undefined && b !== undefined) return a === b;
  if (left === null || right === null) return left === right || left === "" || right === "";
  return String(left) === String(right);
}

function compare(operator: string, left: Value, right: Value): boolean {
  if (operator === "==") return equal(left, right);
  if (operator === "!=") return !equal(left, right);
  const [a, b] = [asNumber(left), asNumber(right)];
  if (a === undefined || b === undefined) {
    throw new ConditionError(`${operator} compares numbers, and ${JSON.stringify(a === undefined ? left : right)} is not one`);
  }
  if (operator === "<") return a < b;
  if (operator === "<=") return a <= b;
  if (operator === ">") return a > b;
  return a >= b;
}

const ownValue = <T>(record: Record<string, T>, key: string): T | undefined => (Object.hasOwn(record, key) ? record[key] : undefined);

function read(reference: ConditionReference, context: ConditionContext): Value {
  if (reference.kind === "param") return ownValue(context.params, reference.name) ?? null;
  const step = ownValue(context.steps, reference.step);
  if (reference.kind === "outcome") return step?.outcome ?? "pending";
  return (step && ownValue(step.outputs, reference.key)) ?? null;
}

function evaluate(node: Node, context: ConditionContext): Value {
  switch (node.type) {
    case "Literal":
      return (node as jsep.Literal).value as Value;
    case "Identifier":
    case "MemberExpression": {
      const path = memberPath(node) ?? [];
      if (path.length === 1 && path[0] === "true") return true;
      if (path.length === 1 && path[0] === "false") return false;
      if (path.length === 1 && path[0] === "null") return null;
      return read(referenceOf(path), context);
    }
    case "UnaryExpression": {
      const unary = node as jsep.UnaryExpression;
      const value = evaluate(unary.argument, context);
      if (unary.operator === "!") return !truthy(value);
      const number = asNumber(value);
      if (number === undefined) throw new ConditionError(`- applies to numbers, and ${JSON.stringify(value)} is not one`);
      return -number;
    }
    case "BinaryExpression": {
      const binary = node as jsep.BinaryExpression;
      if (binary.operator === "&&") return truthy(evaluate(binary.left, context)) && truthy(evaluate(binary.right, context));
      if (binary.operator === "||") return truthy(evaluate(binary.left, context)) || truthy(evaluate(binary.right, context));
      return compare(binary.operator, evaluate(binary.left, context), evaluate(binary.right, context));
    }
    default:
      throw new ConditionError(`${describeNode(node)} is not allowed in a condition`);
  }
}

/** Whether the step runs. Throws ConditionError for a condition that cannot be evaluated (a non-number compared with <). */
export function conditionHolds(text: string, context: ConditionContext): boolean {
  return truthy(evaluate(parseCondition(text).ast, context));
}
