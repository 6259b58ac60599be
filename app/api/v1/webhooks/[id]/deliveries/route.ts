import { apiRoute } from "@/lib/api/route";
import { queryObject } from "@/lib/api/query";
import { listDeliveries } from "@/lib/services/webhooks/list-deliveries";
import { listDeliveriesQuery } from "@/lib/services/webhooks/webhook-fields";

export const dynamic = "force-dynamic";

/** The delivery log, newest first: `?limit=50&before=<id>&status=failed`. */
export const GET = apiRoute<{ id: string }>(async ({ actor, request, params }) =>
  listDeliveries(actor, params.id, listDeliveriesQuery.parse(queryObject(request.url))),
);
