"use server";

import { actionResult, formText, type ActionState } from "@/lib/api/form-actions";
import { requireActor } from "@/lib/auth/current-actor";
import { changeRole } from "@/lib/services/users/change-role";
import { createUser } from "@/lib/services/users/create-user";
import { createServiceAccount } from "@/lib/services/users/create-service-account";
import { deactivateUser } from "@/lib/services/users/deactivate-user";
import { reactivateUser } from "@/lib/services/users/reactivate-user";
import { resetPassword } from "@/lib/services/users/reset-password";

const PAGE = "/admin/users";

export async function createUserAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  const actor = await requireActor(PAGE);
  return actionResult(async () => {
    const user = await createUser(actor, {
      email: formText(formData, "email"),
      name: formText(formData, "name"),
      role: formText(formData, "role") as never,
      password: formText(formData, "password"),
    });
    return `Created ${user.role} ${user.email}.`;
  });
}

export async function createServiceAccountAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  const actor = await requireActor(PAGE);
  return actionResult(async () => {
    const description = formText(formData, "description");
    const account = await createServiceAccount(actor, {
      name: formText(formData, "name"),
      role: formText(formData, "role") as never,
      ...(description ? { description } : {}),
    });
    return `Created service account ${account.email} (${account.role}). Issue its tokens on the Tokens page.`;
  });
}

export async function changeRoleAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  const actor = await requireActor(PAGE);
  return actionResult(async () => {
    const user = await changeRole(actor, { email: formText(formData, "email"), role: formText(formData, "role") as never });
    return `${user.email} is now ${user.role}.`;
  });
}

export async function setActiveAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  const actor = await requireActor(PAGE);
  return actionResult(async () => {
    const input = { email: formText(formData, "email") };
    const user = formText(formData, "active") === "true" ? await reactivateUser(actor, input) : await deactivateUser(actor, input);
    return `${user.email} ${user.active ? "reactivated" : "deactivated"}.`;
  });
}

export async function resetPasswordAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  const actor = await requireActor(PAGE);
  return actionResult(async () => {
    const user = await resetPassword(actor, { email: formText(formData, "email"), password: formText(formData, "password") });
    return `Password reset for ${user.email}.`;
  });
}
