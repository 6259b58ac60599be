const unitMs = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

/** Parses "500ms", "90s", "5m", "1h" into milliseconds; returns undefined for anything else. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+)(ms|s|m|h)$/.exec(text.trim());
  if (!match) return undefined;
  const [, amount, unit] = match;
  return Number(amount) * unitMs[unit as keyof typeof unitMs];
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round(seconds % 60);
  if (minutes < 60) return `${minutes} m ${rest} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} m`;
}
