"use server";

import { actionResult, formText, type ActionState } from "@/lib/api/form-actions";
import { requireActor } from "@/lib/auth/current-actor";
import { issueToken } from "@/lib/services/tokens/issue-token";
import { revokeToken } from "@/lib/services/tokens/revoke-token";

const PAGE = "/tokens";

/** Creates a token for the signed-in user; the token is returned this once and never again. */
export async function createTokenAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  const actor = await requireActor(PAGE);
  return actionResult(async () => {
    const created = await issueToken(actor, { label: formText(formData, "label") });
    return { message: `Token "${created.label}" created. Copy it now: it is shown only once.`, secret: created.token };
  });
}

export async function revokeTokenAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  const actor = await requireActor(PAGE);
  return actionResult(async () => {
    const token = await revokeToken(actor, { id: formText(formData, "id") });
    return `Revoked ${token.prefix}….`;
  });
}
