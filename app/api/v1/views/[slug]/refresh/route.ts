import { apiRoute } from "@/lib/api/route";
import { refreshPanel } from "@/lib/services/views/refresh-panel";

export const dynamic = "force-dynamic";

/** Refreshes a view now: a run of it by the caller, at most once per 30 s per view (429 otherwise). */
export const POST = apiRoute<{ slug: string }>(async ({ actor, params }) => refreshPanel(actor, params.slug), { status: 201 });
