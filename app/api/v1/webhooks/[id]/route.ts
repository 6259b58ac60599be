import { apiRoute, jsonBody } from "@/lib/api/route";
import { deleteWebhook } from "@/lib/services/webhooks/delete-webhook";
import { getWebhook } from "@/lib/services/webhooks/read-webhooks";
import { updateWebhook } from "@/lib/services/webhooks/update-webhook";
import type { UpdateWebhookInput } from "@/lib/services/webhooks/webhook-fields";

export const dynamic = "force-dynamic";

export const GET = apiRoute<{ id: string }>(async ({ actor, params }) => getWebhook(actor, params.id));

/** Changes any of name, url, events, format, owner, active; omitted fields stay as they are. */
export const PUT = apiRoute<{ id: string }>(async ({ actor, request, params }) =>
  updateWebhook(actor, params.id, (await jsonBody(request)) as UpdateWebhookInput),
);

/** Deletes the webhook and its delivery log (deactivate with PUT {"active": false} to keep them). */
export const DELETE = apiRoute<{ id: string }>(async ({ actor, params }) => deleteWebhook(actor, params.id));
