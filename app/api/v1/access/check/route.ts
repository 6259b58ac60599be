import { apiRoute } from "@/lib/api/route";
import { accessCheckQuery, queryObject } from "@/lib/api/schemas";
import { checkAccess } from "@/lib/services/access/check-access";

export const dynamic = "force-dynamic";

export const GET = apiRoute(async ({ actor, request }) => {
  const query = accessCheckQuery.parse(queryObject(request.url));
  return checkAccess(actor, query);
});
