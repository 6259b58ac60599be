import { apiRoute } from "@/lib/api/route";
import { getProposal } from "@/lib/services/runbooks/proposals/read-proposals";

export const dynamic = "force-dynamic";

export const GET = apiRoute<{ id: string }>(async ({ actor, params }) => getProposal(actor, params.id));
