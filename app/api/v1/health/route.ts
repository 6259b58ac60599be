import { isolationStatus } from "@/lib/services/system/isolation-status";

export const dynamic = "force-dynamic";

/** Liveness and how runs are isolated; no authentication. */
export function GET(): Response {
  return Response.json({ ok: true, isolation: isolationStatus().mode });
}
