import { apiRoute, idParam } from "@/lib/api/route";
import { redeliver } from "@/lib/services/webhooks/redeliver";

export const dynamic = "force-dynamic";

/** Sends a delivered or failed delivery again, with fresh attempts. */
export const POST = apiRoute<{ id: string; deliveryId: string }>(async ({ actor, params }) =>
  redeliver(actor, params.id, idParam(params.deliveryId, "delivery")),
);
