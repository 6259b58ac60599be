import { apiRoute } from "@/lib/api/route";
import { listApprovalInbox } from "@/lib/services/runs/approvals/list-approvals";

export const dynamic = "force-dynamic";

export const GET = apiRoute(async ({ actor }) => listApprovalInbox(actor));
