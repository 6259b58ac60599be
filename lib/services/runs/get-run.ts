import { database } from "../../db";
import { abilityFor, type Actor } from "../actor";
import { authorize } from "../authorize";
import { loadRun, runSubjectOf, toRunDto, type RunDto } from "./run-dto";

export async function getRun(actor: Actor, id: number): Promise<RunDto> {
  const { db } = await database();
  const row = await loadRun(db, id);
  await authorize(db, actor, { action: "view", subjectType: "Run", subject: runSubjectOf(row), subjectId: String(id), label: String(id) });
  return toRunDto(row, await abilityFor(actor));
}
