import { sql, type SQL } from "drizzle-orm";
import type { RunStatus } from "../run-statuses";

/**
 * Every change of a run's status, written down once: the statuses a move starts from and those it
 * may end in. Each transition in lib/runs updates a run only `where status in (from)`, so a move
 * that lost a race changes nothing (and says so), and a finished run never moves again.
 */
export const runMoves = {
  /** A new run: waiting for approval, queued, or (handed to this process's worker) running. */
  request: { from: [], to: ["pending_approval", "queued", "running"] },
  approve: { from: ["pending_approval"], to: ["queued"] },
  reject: { from: ["pending_approval"], to: ["rejected"] },
  expire: { from: ["pending_approval"], to: ["expired"] },
  start: { from: ["queued"], to: ["running"] },
  /** By its worker: a run of steps reached a manual step; it gives up its worker slot until a person acts. */
  wait: { from: ["running"], to: ["waiting"] },
  /** A person completed or skipped the step it waited for, or enough people approved it: the run goes back to the queue. */
  continue: { from: ["waiting"], to: ["queued"] },
  /** A step that waited for approval was rejected, or nobody approved it in time: the run ends there. */
  rejectStep: { from: ["waiting"], to: ["rejected"] },
  expireStep: { from: ["waiting"], to: ["expired"] },
  /** Before it starts, or while it waits for a person; a running run is asked to stop and its worker then records `finish` as cancelled. */
  cancel: { from: ["pending_approval", "queued", "waiting"], to: ["cancelled"] },
  /** By its worker: how the process ended (`interrupted` when the worker itself is shutting down). */
  finish: { from: ["running"], to: ["succeeded", "failed", "timed_out", "cancelled", "interrupted"] },
  /** By recovery, for a run whose worker stopped heartbeating. */
  interrupt: { from: ["running"], to: ["interrupted"] },
} as const satisfies Record<string, { from: readonly RunStatus[]; to: readonly RunStatus[] }>;

export type RunMove = keyof typeof runMoves;

export function isLegalMove(move: RunMove, from: RunStatus | null, to: RunStatus): boolean {
  const { from: starts, to: ends } = runMoves[move] as { from: readonly RunStatus[]; to: readonly RunStatus[] };
  return (from === null ? starts.length === 0 : starts.includes(from)) && ends.includes(to);
}

/** `<column> in ('queued', …)` for the statuses a move starts from, as SQL. */
export function startsFrom(move: RunMove, column: SQL = sql`status`): SQL {
  const starts = runMoves[move].from as readonly RunStatus[];
  return sql`${column} in (${sql.join(starts.map((status) => sql`${status}`), sql`, `)})`;
}

/** Throws when code asks for a move the table does not allow: a programming error, never user input. */
export function assertMove(move: RunMove, to: RunStatus): void {
  if (!(runMoves[move].to as readonly RunStatus[]).includes(to)) throw new Error(`run move ${move} cannot end in ${to}`);
}
