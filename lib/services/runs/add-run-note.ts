import { z } from "zod";
import { recordAudit } from "../../audit/record";
import { database } from "../../db";
import { forbidden } from "../../errors";
import { publishNotices, runChanged } from "../../runs/notices";
import { countPageChange } from "../../runs/page-changes";
import { auditActorOf, type Actor } from "../actor";
import { recordDenial } from "../authorize";
import { parseInput } from "../fields";
import { loadVisibleRun } from "./visible-run";

export const runNoteBody = z
  .object({
    text: z
      .string({ error: "is required" })
      .trim()
      .min(1, "is required")
      .max(2000, "must be at most 2000 characters")
      .refine((text) => text.isWellFormed(), "must be valid Unicode text")
      .refine((text) => !text.includes("\0"), "must not contain NUL characters"),
  })
  .strict();

/**
 * Adds a note to a run's timeline (its audit trail), as anyone who may view the run: what someone
 * saw or decided while it ran. Through the API a token needs the `run` scope: one that may only
 * read, or only approve, writes no notes.
 */
export async function addRunNote(actor: Actor, runId: number, input: unknown): Promise<{ runId: number; text: string }> {
  const handle = await database();
  const { db } = handle;
  const { row } = await loadVisibleRun(db, actor, runId);
  if (actor.scopes && !actor.scopes.includes("run")) {
    const reason = "a token needs the run scope to add notes to a run (or add the note signed in)";
    await recordDenial(db, actor, { action: "run.noted", subjectType: "run", subjectId: String(runId), versionHash: row.run.versionHash, reason });
    throw forbidden(reason);
  }
  const { text } = parseInput(runNoteBody, input ?? {});
  await db.transaction(async (tx) => {
    await recordAudit(tx, {
      actor: auditActorOf(actor),
      action: "run.noted",
      outcome: "success",
      subjectType: "run",
      subjectId: String(runId),
      versionHash: row.run.versionHash,
      details: { runbook: row.run.runbookSlug, note: text, via: actor.via },
    });
    await countPageChange(tx, runId);
  });
  await publishNotices(handle, [runChanged(runId)]);
  return { runId, text };
}
