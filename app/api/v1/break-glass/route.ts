import { z } from "zod";
import { apiRoute } from "@/lib/api/route";
import { queryObject } from "@/lib/api/schemas";
import { listBreakGlassRuns } from "@/lib/services/runs/approvals/list-approvals";

export const dynamic = "force-dynamic";

const breakGlassQuery = z.object({ reviewed: z.enum(["true", "false"], { message: "must be true or false" }).default("false") }).strict();

export const GET = apiRoute(async ({ actor, request }) => {
  const { reviewed } = breakGlassQuery.parse(queryObject(request.url));
  return { runs: await listBreakGlassRuns(actor, { reviewed: reviewed === "true" }) };
});
