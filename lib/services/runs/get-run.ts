import { database } from "../../db";
import { queuePosition } from "./queue-position";
import type { Actor } from "../actor";
import { authorizeVisible } from "../authorize";
import { loadRun, runSubjectOf, toRunDto, type RunDto } from "./run-dto";

export async function getRun(actor: Actor, id: number): Promise<RunDto> {
  const { db } = await database();
  const row = await loadRun(db, id);
  const ability = await authorizeVisible(db, actor, {
    action: "view",
    subjectType: "Run",
    subject: runSubjectOf(row),
    subjectId: String(id),
    label: String(id),
    notFoundMessage: `no run ${id}`,
  });
  return toRunDto(row, ability, row.run.status === "queued" ? await queuePosition(db, row.run) : undefined);
}
