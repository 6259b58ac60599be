import { sql, type SQL } from "drizzle-orm";
import type { rulesToAST } from "@casl/ability/extra";

type Condition = NonNullable<ReturnType<typeof rulesToAST>>;

export interface FieldColumn {
  column: SQL;
  /** scalar: a plain column; nullable: may be NULL; jsonArray: a jsonb array of strings (tags). */
  kind: "scalar" | "nullable" | "jsonArray";
}
export type FieldMap = Record<string, FieldColumn>;

type Scalar = string | number | boolean;

const list = (values: Scalar[]) => sql.join(values.map((value) => sql`${value}`), sql`, `);
const containsAll = (column: SQL, values: Scalar[]) => sql`${column} @> ${JSON.stringify(values)}::jsonb`;
const containsAny = (column: SQL, values: Scalar[]) =>
  values.length === 0 ? sql`false` : sql`(${sql.join(values.map((value) => containsAll(column, [value])), sql` or `)})`;

function asList(value: unknown): Scalar[] {
  return (Array.isArray(value) ? value : [value]) as Scalar[];
}

function fieldToSql(operator: string, target: FieldColumn, value: unknown): SQL {
  const { column, kind } = target;
  if (kind === "jsonArray") {
    switch (operator) {
      case "eq":
        return containsAll(column, [value as Scalar]);
      case "ne":
        return sql`not ${containsAll(column, [value as Scalar])}`;
      case "in":
        return containsAny(column, asList(value));
      case "nin":
        return sql`not ${containsAny(column, asList(value))}`;
      case "all":
        return containsAll(column, asList(value));
    }
  } else {
    const values = asList(value);
    switch (operator) {
      case "eq":
        return sql`${column} = ${value as Scalar}`;
      case "ne":
        return kind === "nullable" ? sql`${column} is distinct from ${value as Scalar}` : sql`${column} <> ${value as Scalar}`;
      case "in":
        return values.length === 0 ? sql`false` : sql`${column} in (${list(values)})`;
      case "nin":
        if (values.length === 0) return sql`true`;
        return kind === "nullable" ? sql`(${column} is null or ${column} not in (${list(values)}))` : sql`${column} not in (${list(values)})`;
      case "gt":
        return sql`${column} > ${value as Scalar}`;
      case "gte":
        return sql`${column} >= ${value as Scalar}`;
      case "lt":
        return sql`${column} < ${value as Scalar}`;
      case "lte":
        return sql`${column} <= ${value as Scalar}`;
    }
  }
  throw new Error(`policy operator "${operator}" cannot be used to filter lists on this field`);
}

/**
 * Interprets the AST CASL derives from the rules (rulesToAST) as a SQL condition, so lists are
 * filtered in the query. `null` means no rule allows anything: the list is empty. An unmapped
 * field or operator throws rather than silently widening access.
 */
export function conditionToSql(ast: Condition | null, fields: FieldMap): SQL {
  if (ast === null) return sql`false`;
  const node = ast as { operator: string; field?: string; value: unknown };
  if (node.operator === "and" || node.operator === "or") {
    const parts = (node.value as Condition[]).map((child) => conditionToSql(child, fields));
    if (parts.length === 0) return node.operator === "and" ? sql`true` : sql`false`;
    return sql`(${sql.join(parts, node.operator === "and" ? sql` and ` : sql` or `)})`;
  }
  if (node.operator === "not") {
    const [inner] = node.value as Condition[];
    return sql`not ${conditionToSql(inner ?? null, fields)}`;
  }
  const target = node.field ? fields[node.field] : undefined;
  if (!target) throw new Error(`policy field "${node.field ?? "?"}" cannot be used to filter lists`);
  return fieldToSql(node.operator, target, node.value);
}
