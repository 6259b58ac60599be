import { sql, type SQL } from "drizzle-orm";

/** Lines per block of a run's search text (run_output_blocks). */
export const OUTPUT_SEARCH_BLOCK_LINES = 1000;

/**
 * Terminal escape sequences as a PostgreSQL regular expression: CSI (colours, cursor moves), OSC
 * (titles, hyperlinks) and the two-character forms. A search matches the text as the viewer shows
 * it, so `ERROR: disk` finds `\e[1mERROR:\e[0m disk`.
 */
export const ANSI_ESCAPES = "\u001b(\\[[0-?]*[ -/]*[@-~]|\\][^\u0007\u001b]*(\u0007|\u001b\\\\)?|[@-Z\\\\-_])";

/**
 * `text` (SQL) as search compares it, lower-cased by the database as ILIKE folds case: as shown
 * (escapes removed) and, where there were escapes, also as printed, since a line matches in either
 * form. A match here only marks where to look; each line is then checked on its own.
 */
export function searchTextOf(text: SQL): SQL {
  return sql`lower(case when strpos(${text}, chr(27)) > 0 then regexp_replace(${text}, ${ANSI_ESCAPES}, '', 'g') || chr(10) || ${text} else ${text} end)`;
}
