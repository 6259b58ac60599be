import { database } from "../../db";
import { queuePosition } from "./queue-position";
import type { Actor } from "../actor";
import { authorizeVisible } from "../authorize";
import { withApprovalDetails } from "./approvals/approval-details";
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
  const queue = row.run.status === "queued" ? await queuePosition(db, row.run) : undefined;
  const [dto] = await withApprovalDetails(db, actor, ability, [row], (one) => toRunDto(one, ability, queue));
  if (!dto) throw new Error(`run ${id} vanished`);
  return dto;
}
