import { apiRoute } from "@/lib/api/route";
import { queryObject } from "@/lib/api/query";
import { auditQuery } from "@/lib/services/audit/audit-fields";
import { csvHeader, toCsvLine, toJsonLine } from "@/lib/audit/export-format";
import { exportAuditEvents, listAuditEvents } from "@/lib/services/audit/list-audit-events";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const encoder = new TextEncoder();

export const GET = apiRoute(async ({ actor, request }) => {
  const { format, limit, before, ...filters } = auditQuery.parse(queryObject(request.url));
  if (format === "json") return listAuditEvents(actor, filters, { limit, before });
  const rows = await exportAuditEvents(actor, filters);
  const line = format === "csv" ? toCsvLine : toJsonLine;
  let headerSent = format !== "csv";
  // Pulled one row at a time: a million-row export never sits in memory.
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(csvHeader));
        return;
      }
      let chunk = "";
      for (let count = 0; count < 500; count++) {
        const next = await rows.next();
        if (next.done) {
          if (chunk) controller.enqueue(encoder.encode(chunk));
          controller.close();
          return;
        }
        chunk += line(next.value);
      }
      controller.enqueue(encoder.encode(chunk));
    },
    async cancel() {
      await rows.return(undefined);
    },
  });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  return new Response(body, {
    headers: {
      "Content-Type": format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
      "Content-Disposition": `attachment; filename="handrail-audit-${stamp}.${format}"`,
    },
  });
});
