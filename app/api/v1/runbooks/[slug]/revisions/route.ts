import { apiRoute } from "@/lib/api/route";
import { listRevisions } from "@/lib/services/runbooks/authoring/history";

export const dynamic = "force-dynamic";

export const GET = apiRoute<{ slug: string }>(async ({ actor, params }) => listRevisions(actor, params.slug));
