import { and, asc, eq, isNull } from "drizzle-orm";
import { database } from "../../db";
import type { Db } from "../../db/client";
import { runbooks, users } from "../../db/schema";
import { notFound } from "../../errors";
import { asRunbook, defineAbilityFor, type Action, type PolicyUser } from "../../policy/ability";
import { decide, describeRule, runPossibility, type Decision } from "../../policy/explain";
import { compileRules } from "../../policy/ability";
import { abilityFor, type Actor } from "../actor";
import { authorize, authorizeVisible } from "../authorize";
import { loadActivePolicies } from "../policies/active-policies";
import { loadRunbook } from "../runbooks/get-runbook";
import { teamNamesByUser, teamNamesOf } from "../users/team-names";

export interface AccessCheckInput {
  user: string;
  action: Action;
  runbook: string;
  params?: Record<string, unknown> | undefined;
}

interface TargetUser extends PolicyUser {
  email: string;
  name: string;
  active: boolean;
  teams: string[];
}

export interface AccessCheckResult extends Decision {
  user: { email: string; name: string; role: string; teams: string[]; active: boolean };
  action: Action;
  runbook: string;
  params: Record<string, unknown>;
}

async function loadTargetUser(db: Db, email: string): Promise<TargetUser> {
  const [user] = await db.select().from(users).where(eq(users.email, email.trim().toLowerCase()));
  if (!user) throw notFound(`no user with email ${email}`);
  return { id: user.id, email: user.email, name: user.name, role: user.role, active: user.active, teams: await teamNamesOf(db, user.id) };
}

/** A runbook the asker may not see answers exactly as one that does not exist (and the attempt is audited). */
async function loadVisibleRunbook(db: Db, actor: Actor, slug: string) {
  const loaded = await loadRunbook(db, slug);
  await authorizeVisible(db, actor, { action: "view", subjectType: "Runbook", subject: asRunbook(loaded.runbook), subjectId: slug, label: slug, notFoundMessage: `no runbook "${slug}"` });
  return loaded;
}

/** Anyone may ask about themselves; asking about others needs `view Policy` (admins, auditors). */
async function authorizeInspection(db: Db, actor: Actor, email: string): Promise<void> {
  if (email.trim().toLowerCase() === actor.user.email) return;
  await authorize(db, actor, { action: "view", subjectType: "Policy", label: "access of other users" });
}

/** Would this user be allowed, and which rule decides? Evaluated against the policies in force now. */
export async function checkAccess(actor: Actor, input: AccessCheckInput): Promise<AccessCheckResult> {
  const { db } = await database();
  await authorizeInspection(db, actor, input.user);
  const target = await loadTargetUser(db, input.user);
  const { runbook } = await loadVisibleRunbook(db, actor, input.runbook);
  const ability = defineAbilityFor(target, await loadActivePolicies(db));
  const params = input.params ?? {};
  const subject = asRunbook(runbook, input.action === "run" ? params : undefined);
  const decision = target.active
    ? decide(ability, target.role, input.action, "Runbook", subject, runbook.slug)
    : { allowed: false, rule: null, message: `user ${target.email} is deactivated` };
  return {
    ...decision,
    user: { email: target.email, name: target.name, role: target.role, teams: target.teams, active: target.active },
    action: input.action,
    runbook: runbook.slug,
    params,
  };
}

export interface RunnerEntry {
  email: string;
  name: string;
  role: string;
  teams: string[];
  /** Parameter constraints when the user may run it only with some values. */
  constraints: string[];
}

/**
 * "Who can run X": every active user whose rules allow running the runbook with some values. Anyone
 * who may see the runbook may see this: whom to ask is the point of it, and names and roles are
 * what colleagues see of each other anyway. The rules behind it stay behind `view Policy` (Access).
 */
export async function whoCanRun(actor: Actor, slug: string): Promise<RunnerEntry[]> {
  const { db } = await database();
  const { runbook } = await loadVisibleRunbook(db, actor, slug);
  const active = await loadActivePolicies(db);
  const everyone = await db.select().from(users).where(eq(users.active, true)).orderBy(asc(users.email));
  const teamsByUser = await teamNamesByUser(db);
  const runners: RunnerEntry[] = [];
  for (const user of everyone) {
    const teams = teamsByUser.get(user.id) ?? [];
    const ability = defineAbilityFor({ id: user.id, role: user.role, email: user.email, teams }, active);
    const possibility = runPossibility(ability, asRunbook(runbook));
    if (possibility.possible) runners.push({ email: user.email, name: user.name, role: user.role, teams, constraints: possibility.constraints });
  }
  return runners;
}

export interface UserCapabilities {
  user: { email: string; name: string; role: string; teams: string[]; active: boolean };
  rules: Array<{ policy: string; version: number; rule: number; text: string; reason: string | null }>;
  runbooks: Array<{ slug: string; title: string; risk: string; view: boolean; run: boolean; constraints: string[] }>;
}

/** "What can user Y do": the rules that apply to them and, runbook by runbook, what they allow. */
export async function userCapabilities(actor: Actor, email: string): Promise<UserCapabilities> {
  const { db } = await database();
  await authorizeInspection(db, actor, email);
  const target = await loadTargetUser(db, email);
  const active = await loadActivePolicies(db);
  const ability = defineAbilityFor(target, active);
  // Only runbooks the asker may see: a hidden one is not listed, as a missing one is not.
  const askerAbility = await abilityFor(actor);
  const rows = (await db.select().from(runbooks).where(and(isNull(runbooks.archivedAt))).orderBy(asc(runbooks.slug))).filter((row) =>
    askerAbility.can("view", asRunbook(row)),
  );
  return {
    user: { email: target.email, name: target.name, role: target.role, teams: target.teams, active: target.active },
    rules: compileRules(active, target).map((rule) => ({
      policy: rule.source?.policy ?? "?",
      version: rule.source?.version ?? 0,
      rule: rule.source?.rule ?? 0,
      text: describeRule(rule),
      reason: rule.reason ?? null,
    })),
    runbooks: rows.map((row) => {
      const possibility = runPossibility(ability, asRunbook(row));
      return {
        slug: row.slug,
        title: row.title,
        risk: row.risk,
        view: target.active && ability.can("view", asRunbook(row)),
        run: target.active && possibility.possible,
        constraints: possibility.constraints,
      };
    }),
  };
}
