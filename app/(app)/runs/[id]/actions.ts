"use server";

import { z } from "zod";
import { formAction, formText, type ActionState } from "@/lib/api/form-actions";
import type { Actor } from "@/lib/services/actor";
import { decideApproval } from "@/lib/services/runs/approvals/decide-approval";
import { reviewBreakGlass } from "@/lib/services/runs/approvals/review-break-glass";

/** Where the form was: the run's own page, or the approvals inbox. Bound by the page, still checked here. */
const returnTo = z.enum(["run", "approvals"]);
type ReturnTo = z.infer<typeof returnTo>;
const runIdSchema = z.number().int().positive();

function decide(runId: number, from: ReturnTo, work: (actor: Actor) => Promise<unknown>): Promise<ActionState> {
  const id = runIdSchema.parse(runId);
  const back = returnTo.parse(from) === "approvals" ? "/approvals" : `/runs/${id}`;
  return formAction(back, work, () => ({ redirectTo: back }));
}

export async function approveRunAction(runId: number, from: ReturnTo, _previous: ActionState, formData: FormData): Promise<ActionState> {
  return decide(runId, from, (actor) => decideApproval(actor, runId, "approved", { comment: formText(formData, "comment") }));
}

export async function rejectRunAction(runId: number, from: ReturnTo, _previous: ActionState, formData: FormData): Promise<ActionState> {
  return decide(runId, from, (actor) => decideApproval(actor, runId, "rejected", { comment: formText(formData, "comment") }));
}

/** Acknowledges a break-glass run after the fact, saying what was checked. */
export async function acknowledgeBreakGlassAction(runId: number, from: ReturnTo, _previous: ActionState, formData: FormData): Promise<ActionState> {
  return decide(runId, from, (actor) => reviewBreakGlass(actor, runId, { comment: formText(formData, "comment") }));
}
