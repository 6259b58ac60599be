"use server";

import { formStateOf } from "@/lib/api/errors";
import { requireActor } from "@/lib/auth/current-actor";
import { issueToken } from "@/lib/services/tokens/issue-token";
import { revokeToken } from "@/lib/services/tokens/revoke-token";
import type { ActionState } from "../admin/users/action-form";

const PAGE = "/tokens";

function text(formData: FormData, name: string): string {
  const value = formData.get(name);
  return typeof value === "string" ? value : "";
}

/** Creates a token for the signed-in user; the token is returned this once and never again. */
export async function createTokenAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  const actor = await requireActor(PAGE);
  try {
    const created = await issueToken(actor, { label: text(formData, "label") });
    return { message: `Token "${created.label}" created. Copy it now: it is shown only once.`, secret: created.token };
  } catch (error) {
    return formStateOf(error);
  }
}

export async function revokeTokenAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  const actor = await requireActor(PAGE);
  try {
    const token = await revokeToken(actor, { id: text(formData, "id") });
    return { message: `Revoked ${token.prefix}….` };
  } catch (error) {
    return formStateOf(error);
  }
}
