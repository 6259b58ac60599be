"use server";

import { formAction, formText, formTexts, type ActionState } from "@/lib/api/form-actions";
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
    events: formTexts(formData, "events") as CreateWebhookInput["events"],
  };
}

export async function createWebhookAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  return formAction(
    PAGE,
    (actor) => createWebhook(actor, settingsOf(formData)),
    (created) =>
      created.secret === null
        ? `Created webhook ${created.webhook.name}. Slack checks no signature, so its messages are sent unsigned: there is no secret to keep.`
        : { message: `Created webhook ${created.webhook.name}. Copy its signing secret now: it is shown only once.`, secret: created.secret },
  );
}

export async function updateWebhookAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  return formAction(
    PAGE,
    (actor) => updateWebhook(actor, formText(formData, "id"), settingsOf(formData)),
    (updated) => (updated.format === "json" && formText(formData, "previousFormat") === "slack" ? `Saved webhook ${updated.name}. It is signed from now on: rotate its secret to get one for the receiver.` : `Saved webhook ${updated.name}.`),
  );
}

export async function setWebhookActiveAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  const active = formText(formData, "active") === "true";
  return formAction(
    PAGE,
    (actor) => updateWebhook(actor, formText(formData, "id"), { active }),
    (updated) => `${updated.active ? "Activated" : "Deactivated"} webhook ${updated.name}.`,
  );
}

export async function rotateWebhookSecretAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  return formAction(
    PAGE,
    (actor) => rotateWebhookSecret(actor, formText(formData, "id")),
    (rotated) => ({ message: "New signing secret: copy it now, it is shown only once. The old one no longer verifies.", secret: rotated.secret }),
  );
}

export async function sendTestEventAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  return formAction(
    PAGE,
    (actor) => sendTestEvent(actor, formText(formData, "id")),
    (delivery) => `Queued test delivery ${delivery.id}: its result appears in the delivery log.`,
  );
}

export async function redeliverAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  const deliveryId = Number(formText(formData, "delivery"));
  return formAction(
    PAGE,
    (actor) => redeliver(actor, formText(formData, "id"), Number.isSafeInteger(deliveryId) ? deliveryId : 0),
    (delivery) => `Delivery ${delivery.id} queued again.`,
  );
}

export async function deleteWebhookAction(_state: ActionState, formData: FormData): Promise<ActionState> {
  return formAction(PAGE, (actor) => deleteWebhook(actor, formText(formData, "id")), () => ({ redirectTo: PAGE }));
}
