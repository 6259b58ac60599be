import { apiRoute } from "@/lib/api/route";
import { rotateWebhookSecret } from "@/lib/services/webhooks/rotate-webhook-secret";

export const dynamic = "force-dynamic";

/** Replaces the signing secret at once; the new one is in this response only. */
export const POST = apiRoute<{ id: string }>(async ({ actor, params }) => rotateWebhookSecret(actor, params.id));
