"use server";

import { formAction, formText, formTexts, type ActionState } from "@/lib/api/form-actions";
import { issueToken, type IssueTokenInput } from "@/lib/services/tokens/issue-token";
import { revokeToken } from "@/lib/services/tokens/revoke-token";

const PAGE = "/tokens";

/** Creates a token for the signed-in user (or a service account); the token is returned this once and never again. */
export async function createTokenAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  const scopes = formTexts(formData, "scopes");
  const email = formText(formData, "email");
  const days = formText(formData, "expiresInDays");
  const input: IssueTokenInput = {
    label: formText(formData, "label"),
    ...(email ? { email } : {}),
    ...(scopes.length > 0 ? { scopes: scopes as IssueTokenInput["scopes"] } : {}),
    ...(days ? { expiresInDays: days } : {}),
  };
  return formAction(
    PAGE,
    (actor) => issueToken(actor, input),
    (created, actor) => ({
      message: `Token "${created.label}"${created.email === actor.user.email ? "" : ` for ${created.email}`} created with scopes ${created.scopes.join(", ")}, expiring ${created.expiresAt.slice(0, 10)}. Copy it now: it is shown only once.`,
      secret: created.token,
    }),
  );
}

export async function revokeTokenAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  return formAction(PAGE, (actor) => revokeToken(actor, { id: formText(formData, "id") }), (token) => `Revoked ${token.prefix}….`);
}
