import { apiRoute } from "@/lib/api/route";
import { verifyAuditLog } from "@/lib/services/audit/verify-audit-log";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute(async ({ actor }) => verifyAuditLog(actor));
