"use server";

import { formStateOf } from "@/lib/api/errors";
import { requireActor } from "@/lib/auth/current-actor";
import { changeRole } from "@/lib/services/users/change-role";
import { createUser } from "@/lib/services/users/create-user";
import { deactivateUser } from "@/lib/services/users/deactivate-user";
import { reactivateUser } from "@/lib/services/users/reactivate-user";
import { resetPassword } from "@/lib/services/users/reset-password";
import type { ActionState } from "./action-form";

const PAGE = "/admin/users";

function text(formData: FormData, name: string): string {
  const value = formData.get(name);
  return typeof value === "string" ? value : "";
}

async function perform(work: () => Promise<string>): Promise<ActionState> {
  try {
    const message = await work();
    return { message };
  } catch (error) {
    return formStateOf(error);
  }
}

export async function createUserAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  const actor = await requireActor(PAGE);
  return perform(async () => {
    const user = await createUser(actor, {
      email: text(formData, "email"),
      name: text(formData, "name"),
      role: text(formData, "role") as never,
      password: text(formData, "password"),
    });
    return `Created ${user.role} ${user.email}.`;
  });
}

export async function changeRoleAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  const actor = await requireActor(PAGE);
  return perform(async () => {
    const user = await changeRole(actor, { email: text(formData, "email"), role: text(formData, "role") as never });
    return `${user.email} is now ${user.role}.`;
  });
}

export async function setActiveAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  const actor = await requireActor(PAGE);
  return perform(async () => {
    const input = { email: text(formData, "email") };
    const user = text(formData, "active") === "true" ? await reactivateUser(actor, input) : await deactivateUser(actor, input);
    return `${user.email} ${user.active ? "reactivated" : "deactivated"}.`;
  });
}

export async function resetPasswordAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  const actor = await requireActor(PAGE);
  return perform(async () => {
    const user = await resetPassword(actor, { email: text(formData, "email"), password: text(formData, "password") });
    return `Password reset for ${user.email}.`;
  });
}
