import { apiRoute } from "@/lib/api/route";
import { listPanels } from "@/lib/services/views/panels";

export const dynamic = "force-dynamic";

/** The view runbooks the caller may see, each with its latest result, its recent history and the runbooks that act on the same thing. */
export const GET = apiRoute(async ({ actor }) => ({ views: await listPanels(actor) }));
