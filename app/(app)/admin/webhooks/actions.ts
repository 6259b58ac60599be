"use server";

import { redirect } from "next/navigation";
import { actionResult, formText, type ActionState } from "@/lib/api/form-actions";
import { requireActor } from "@/lib/auth/current-actor";
import { createWebhook } from "@/lib/services/webhooks/create-webhook";
import { deleteWebhook } from "@/lib/services/webhooks/delete-webhook";
import { redeliver } from "@/lib/services/webhooks/redeliver";
import { rotateWebhookSecret } from "@/lib/services/webhooks/rotate-webhook-secret";
import { sendTestEvent } from "@/lib/services/webhooks/send-test-event";
import { updateWebhook } from "@/lib/services/webhooks/update-webhook";
import type { CreateWebhookInput } from "@/lib/services/webhooks/webhook-fields";

const PAGE = "/admin/webhooks";

/** The settings fields of the create and edit forms; the service validates them. */
function settingsOf(formData: FormData): CreateWebhookInput {
  return {
    name: formText(formData, "name"),
    url: formText(formData, "url"),
    format: formText(formData, "format") as CreateWebhookInput["format"],
    owner: formText(formData, "owner"),
    events: formData.getAll("events").filter((value): value is string => typeof value === "string") as CreateWebhookInput["events"],
  };
}

export async function createWebhookAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  const actor = await requireActor(PAGE);
  return actionResult(async () => {
    const created = await createWebhook(actor, settingsOf(formData));
    return { message: `Created webhook ${created.webhook.name}. Copy its signing secret now: it is shown only once.`, secret: created.secret };
  });
}

export async function updateWebhookAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  const actor = await requireActor(PAGE);
  return actionResult(async () => {
    const updated = await updateWebhook(actor, formText(formData, "id"), settingsOf(formData));
    return `Saved webhook ${updated.name}.`;
  });
}

export async function setWebhookActiveAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  const actor = await requireActor(PAGE);
  return actionResult(async () => {
    const active = formText(formData, "active") === "true";
    const updated = await updateWebhook(actor, formText(formData, "id"), { active });
    return `${updated.active ? "Activated" : "Deactivated"} webhook ${updated.name}.`;
  });
}

export async function rotateWebhookSecretAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  const actor = await requireActor(PAGE);
  return actionResult(async () => {
    const rotated = await rotateWebhookSecret(actor, formText(formData, "id"));
    return { message: "New signing secret: copy it now, it is shown only once. The old one no longer verifies.", secret: rotated.secret };
  });
}

export async function sendTestEventAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  const actor = await requireActor(PAGE);
  return actionResult(async () => {
    const delivery = await sendTestEvent(actor, formText(formData, "id"));
    return `Queued test delivery ${delivery.id}: its result appears in the delivery log.`;
  });
}

export async function redeliverAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  const actor = await requireActor(PAGE);
  return actionResult(async () => {
    const deliveryId = Number(formText(formData, "delivery"));
    const delivery = await redeliver(actor, formText(formData, "id"), Number.isSafeInteger(deliveryId) ? deliveryId : 0);
    return `Delivery ${delivery.id} queued again.`;
  });
}

export async function deleteWebhookAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  const actor = await requireActor(PAGE);
  const result = await actionResult(async () => {
    const deleted = await deleteWebhook(actor, formText(formData, "id"));
    return `Deleted webhook ${deleted.name}.`;
  });
  if (result.error) return result;
  redirect(PAGE);
}
