"use server";

import { actionResult, formText, type ActionState } from "@/lib/api/form-actions";
import { requireActor } from "@/lib/auth/current-actor";
import { issueToken, type IssueTokenInput } from "@/lib/services/tokens/issue-token";
import { revokeToken } from "@/lib/services/tokens/revoke-token";

const PAGE = "/tokens";

/** Creates a token for the signed-in user (or a service account); the token is returned this once and never again. */
export async function createTokenAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  const actor = await requireActor(PAGE);
  return actionResult(async () => {
    const scopes = formData.getAll("scopes").filter((value): value is string => typeof value === "string");
    const email = formText(formData, "email");
    const days = formText(formData, "expiresInDays");
    const created = await issueToken(actor, {
      label: formText(formData, "label"),
      ...(email ? { email } : {}),
      ...(scopes.length > 0 ? { scopes: scopes as IssueTokenInput["scopes"] } : {}),
      ...(days ? { expiresInDays: days } : {}),
    });
    const owner = created.email === actor.user.email ? "" : ` for ${created.email}`;
    return {
      message: `Token "${created.label}"${owner} created with scopes ${created.scopes.join(", ")}, expiring ${created.expiresAt.slice(0, 10)}. Copy it now: it is shown only once.`,
      secret: created.token,
    };
  });
}

export async function revokeTokenAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  const actor = await requireActor(PAGE);
  return actionResult(async () => {
    const token = await revokeToken(actor, { id: formText(formData, "id") });
    return `Revoked ${token.prefix}….`;
  });
}
