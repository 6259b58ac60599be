import { apiRoute } from "@/lib/api/route";
import { queryObject } from "@/lib/api/query";
import { accessCheckQuery } from "@/lib/services/access/access-fields";
import { checkAccess } from "@/lib/services/access/check-access";

export const dynamic = "force-dynamic";

export const GET = apiRoute(async ({ actor, request }) => {
  const query = accessCheckQuery.parse(queryObject(request.url));
  return checkAccess(actor, query);
});
