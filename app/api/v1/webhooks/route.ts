import { apiRoute, jsonBody } from "@/lib/api/route";
import { createWebhook } from "@/lib/services/webhooks/create-webhook";
import { listWebhooks } from "@/lib/services/webhooks/read-webhooks";
import type { CreateWebhookInput } from "@/lib/services/webhooks/webhook-fields";

export const dynamic = "force-dynamic";

/** Every webhook the caller may view; never a signing secret. */
export const GET = apiRoute(async ({ actor }) => ({ webhooks: await listWebhooks(actor) }));

/** Creates a webhook; the response carries its signing secret, this once. The service checks the body after the caller. */
export const POST = apiRoute(
  async ({ actor, request }) => createWebhook(actor, (await jsonBody(request)) as CreateWebhookInput),
  { status: 201 },
);
