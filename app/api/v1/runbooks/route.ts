import { apiRoute } from "@/lib/api/route";
import { listRunbooks } from "@/lib/services/runbooks/list-runbooks";

export const dynamic = "force-dynamic";

export const GET = apiRoute(async ({ actor }) => ({ runbooks: await listRunbooks(actor) }));
