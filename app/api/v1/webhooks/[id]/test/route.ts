import { apiRoute } from "@/lib/api/route";
import { sendTestEvent } from "@/lib/services/webhooks/send-test-event";

export const dynamic = "force-dynamic";

/** Queues a signed `webhook.test` delivery; follow it in the delivery log. */
export const POST = apiRoute<{ id: string }>(async ({ actor, params }) => sendTestEvent(actor, params.id), { status: 202 });
