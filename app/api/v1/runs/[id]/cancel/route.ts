import { apiRoute, idParam } from "@/lib/api/route";
import { cancelRun } from "@/lib/services/runs/cancel-run";

export const dynamic = "force-dynamic";

export const POST = apiRoute<{ id: string }>(async ({ actor, params }) => cancelRun(actor, idParam(params.id, "run")));
