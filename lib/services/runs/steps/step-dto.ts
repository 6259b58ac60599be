import { asc, eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { runSteps, users, type StepStatus } from "../../../db/schema";
import type { AppAbility } from "../../../policy/ability";
import { isActiveStatus } from "../../../run-statuses";
import type { ParameterDefinition } from "../../../runbooks/definition";
import { stepKind, type StepKind } from "../../../runbooks/steps";
import type { PersonDto, RunRow } from "../run-dto";
import { mayActOnSteps, pinnedDefinition } from "./step-access";

export interface StepDto {
  id: string;
  title: string;
  kind: StepKind;
  status: StepStatus;
  attempts: number;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  exitCode: number | null;
  /** The run's output lines this step printed (seq, inclusive); null before it started. `last` is null while it runs. */
  lines: { first: number; last: number | null } | null;
  outputs: Record<string, string>;
  /** Why it was skipped or failed, or who completed it. */
  message: string | null;
  /** The person who ticked or skipped it, and what they wrote. */
  by: PersonDto | null;
  note: string | null;
  when: string | null;
  onFailure: string | null;
  /** For a manual step: its instructions (Markdown) and what ticking it asks for. */
  manual: { instructions: string; note: "optional" | "required"; value: ParameterDefinition | null } | null;
  canComplete: boolean;
  canSkip: boolean;
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** The steps of a run of steps, as the run page and the API show them; undefined for a one-command run. */
export async function stepsOfRun(db: Db, row: RunRow, ability: AppAbility): Promise<StepDto[] | undefined> {
  const stored = await db
    .select({ step: runSteps, by: { id: users.id, email: users.email, name: users.name } })
    .from(runSteps)
    .leftJoin(users, eq(users.id, runSteps.actedBy))
    .where(eq(runSteps.runId, row.run.id))
    .orderBy(asc(runSteps.position));
  if (stored.length === 0) return undefined;
  const definitions = (await pinnedDefinition(db, row.run.versionHash)).steps ?? [];
  const mayAct = isActiveStatus(row.run.status) && mayActOnSteps(ability, row);
  return stored.map(({ step, by }) => {
    const definition = definitions[step.position];
    const kind = definition ? stepKind(definition) : "command";
    const waitedOn = row.run.status === "waiting" && step.status === "waiting";
    return {
      id: step.stepId,
      title: definition?.title ?? step.stepId,
      kind,
      status: step.status,
      attempts: step.attempts,
      startedAt: iso(step.startedAt),
      finishedAt: iso(step.finishedAt),
      durationMs: step.startedAt && step.finishedAt ? step.finishedAt.getTime() - step.startedAt.getTime() : null,
      exitCode: step.exitCode,
      lines: step.firstSeq === null ? null : { first: step.firstSeq, last: step.lastSeq },
      outputs: step.outputs,
      message: step.message,
      by: by?.id ? by : null,
      note: step.note,
      when: definition?.when ?? null,
      onFailure: definition?.onFailure ?? null,
      manual:
        definition?.manual !== undefined ? { instructions: definition.manual, note: definition.note ?? "optional", value: definition.value ?? null } : null,
      canComplete: mayAct && waitedOn && kind === "manual",
      canSkip: mayAct && (step.status === "pending" || waitedOn),
    };
  });
}
