import { apiRoute } from "@/lib/api/route";
import { getRunbook } from "@/lib/services/runbooks/get-runbook";

export const dynamic = "force-dynamic";

export const GET = apiRoute<{ slug: string }>(async ({ actor, params }) => getRunbook(actor, params.slug));
