/** Waits between attempts: 10 s, 1 min, 5 min, 30 min, 2 h. One attempt more than waits: the 6th failure is final. */
export const DEFAULT_BACKOFF_MS: readonly number[] = [10_000, 60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000];

/** The wait before the next attempt after `attempts` failed ones, or null when the delivery has failed for good. */
export function retryDelay(backoffMs: readonly number[], attempts: number): number | null {
  return attempts >= 1 && attempts <= backoffMs.length ? (backoffMs[attempts - 1] ?? null) : null;
}
