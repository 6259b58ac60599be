import { apiRoute } from "@/lib/api/route";
import { withdrawProposal } from "@/lib/services/runbooks/proposals/review-proposal";

export const dynamic = "force-dynamic";

export const POST = apiRoute<{ id: string }>(async ({ actor, params }) => {
  await withdrawProposal(actor, params.id);
  return { id: params.id, status: "withdrawn" };
});
