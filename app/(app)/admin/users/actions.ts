"use server";

import { formAction, formText, type ActionState } from "@/lib/api/form-actions";
import { changeRole } from "@/lib/services/users/change-role";
import { createServiceAccount } from "@/lib/services/users/create-service-account";
import { createUser } from "@/lib/services/users/create-user";
import { deactivateUser } from "@/lib/services/users/deactivate-user";
import { reactivateUser } from "@/lib/services/users/reactivate-user";
import { resetPassword } from "@/lib/services/users/reset-password";

const PAGE = "/admin/users";

export async function createUserAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  return formAction(
    PAGE,
    (actor) =>
      createUser(actor, {
        email: formText(formData, "email"),
        name: formText(formData, "name"),
        role: formText(formData, "role") as never,
        password: formText(formData, "password"),
      }),
    (user) => `Created ${user.role} ${user.email}.`,
  );
}

export async function createServiceAccountAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  const description = formText(formData, "description");
  return formAction(
    PAGE,
    (actor) => createServiceAccount(actor, { name: formText(formData, "name"), role: formText(formData, "role") as never, ...(description ? { description } : {}) }),
    (account) => `Created service account ${account.email} (${account.role}). Issue its tokens on the Tokens page.`,
  );
}

export async function changeRoleAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  return formAction(
    PAGE,
    (actor) => changeRole(actor, { email: formText(formData, "email"), role: formText(formData, "role") as never }),
    (user) => `${user.email} is now ${user.role}.`,
  );
}

export async function setActiveAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  const input = { email: formText(formData, "email") };
  const activate = formText(formData, "active") === "true";
  return formAction(
    PAGE,
    (actor) => (activate ? reactivateUser(actor, input) : deactivateUser(actor, input)),
    (user) => `${user.email} ${user.active ? "reactivated" : "deactivated"}.`,
  );
}

export async function resetPasswordAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  return formAction(
    PAGE,
    (actor) => resetPassword(actor, { email: formText(formData, "email"), password: formText(formData, "password") }),
    (user) => `Password reset for ${user.email}.`,
  );
}
