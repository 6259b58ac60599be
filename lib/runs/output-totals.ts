import { sql } from "drizzle-orm";
import type { Db } from "../db/client";

/**
 * Sets a run's output totals (lines, bytes, sha256) from the lines stored, in order: for a run whose
 * worker died before recording them, and for a run of steps whose output several workers wrote.
 */
export async function recountOutputTotals(tx: Db, runId: number): Promise<void> {
  await tx.execute(sql`
    update runs set output_lines = totals.lines, output_bytes = totals.bytes, output_sha256 = totals.digest
    from (
      select count(*)::int as lines, coalesce(sum(octet_length(line) + 1), 0)::bigint as bytes,
             encode(sha256(convert_to(coalesce(string_agg(line || E'\\n', '' order by seq), ''), 'UTF8')), 'hex') as digest
      from run_output where run_id = ${runId}
    ) as totals
    where runs.id = ${runId}`);
}
