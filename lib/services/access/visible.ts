import { rulesToAST } from "@casl/ability/extra";
import { sql, type SQL } from "drizzle-orm";
import { apiTokens, runbooks, runs } from "../../db/schema";
import type { AppAbility } from "../../policy/ability";
import { conditionToSql, type FieldMap } from "./conditions-to-sql";

const runbookFields: FieldMap = {
  slug: { column: sql`${runbooks.slug}`, kind: "scalar" },
  risk: { column: sql`${runbooks.risk}`, kind: "scalar" },
  owner: { column: sql`${runbooks.owner}`, kind: "scalar" },
  environment: { column: sql`${runbooks.environment}`, kind: "nullable" },
  tags: { column: sql`${runbooks.tags}`, kind: "jsonArray" },
};

/** Run conditions name the run and the runbook it belongs to (joined). */
const runFields: FieldMap = {
  runbookSlug: { column: sql`${runs.runbookSlug}`, kind: "scalar" },
  requestedBy: { column: sql`${runs.requestedBy}::text`, kind: "scalar" },
  risk: { column: sql`${runbooks.risk}`, kind: "nullable" },
  owner: { column: sql`${runbooks.owner}`, kind: "nullable" },
  environment: { column: sql`${runbooks.environment}`, kind: "nullable" },
  tags: { column: sql`coalesce(${runbooks.tags}, '[]'::jsonb)`, kind: "jsonArray" },
};

/** The runbooks this ability may view, as a SQL condition on `runbooks`. */
export function visibleRunbooks(ability: AppAbility): SQL {
  return conditionToSql(rulesToAST(ability, "view", "Runbook"), runbookFields);
}

/** The runs this ability may view, as a SQL condition on `runs` joined to `runbooks`. */
export function visibleRuns(ability: AppAbility): SQL {
  return conditionToSql(rulesToAST(ability, "view", "Run"), runFields);
}

const tokenFields: FieldMap = {
  userId: { column: sql`${apiTokens.userId}::text`, kind: "scalar" },
};

/** The API tokens this ability may view (everyone their own, admins all), as a SQL condition on `api_tokens`. */
export function visibleTokens(ability: AppAbility): SQL {
  return conditionToSql(rulesToAST(ability, "view", "Token"), tokenFields);
}
