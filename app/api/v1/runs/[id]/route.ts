import { apiRoute, idParam } from "@/lib/api/route";
import { getRun } from "@/lib/services/runs/get-run";

export const dynamic = "force-dynamic";

export const GET = apiRoute<{ id: string }>(async ({ actor, params }) => getRun(actor, idParam(params.id, "run")));
