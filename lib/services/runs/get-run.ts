import { database } from "../../db";
import { queuePosition } from "./queue-position";
import type { Actor } from "../actor";
import { loadVisibleRun } from "./visible-run";
import { withApprovalDetails } from "./approvals/approval-details";
import { toRunDto, type RunDto } from "./run-dto";
import { stepsOfRun } from "./steps/step-dto";
import { isActiveStatus } from "../../run-statuses";
import { watchersOf } from "../../runs/watchers";
import { mayActOnSteps } from "./steps/step-access";
import { resumableStatuses } from "./steps/resume-run";

export async function getRun(actor: Actor, id: number): Promise<RunDto> {
  const { db } = await database();
  const { row, ability } = await loadVisibleRun(db, actor, id);
  const queue = row.run.status === "queued" ? await queuePosition(db, row.run) : undefined;
  const [[dto], steps, watchers] = await Promise.all([
    withApprovalDetails(db, actor, ability, [row], (one) => toRunDto(one, ability, queue)),
    stepsOfRun(db, actor, row, ability),
    isActiveStatus(row.run.status) ? watchersOf(db, id) : undefined,
  ]);
  if (!dto) throw new Error(`run ${id} vanished`);
  const withWatchers = watchers ? { ...dto, watchers } : dto;
  return steps ? { ...withWatchers, steps, canResume: resumableStatuses.includes(row.run.status) && mayActOnSteps(ability, row) } : withWatchers;
}
