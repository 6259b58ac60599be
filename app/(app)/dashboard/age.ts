/** "12 s ago", "5 min ago", "3 h ago", "2 d ago": how old a panel's result is, at a glance. */
export function ageOf(iso: string, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} d ago`;
}

/** The moment a page is rendered: every panel's age is counted from the same one. */
export function renderedAt(): number {
  return Date.now();
}

/**
 * Since when the view has had its latest status, as far as its history goes back: "critical for
 * 20 min", or "for over 2 h" when every result it keeps has that status.
 */
export function statusStreak(history: ReadonlyArray<{ status: string; at: string }>, now: number): string | null {
  const latest = history.at(-1);
  if (!latest || history.length < 2) return null;
  let first = history.length - 1;
  while (first > 0 && history[first - 1]?.status === latest.status) first--;
  const since = history[first]?.at ?? latest.at;
  const span = ageOf(since, now).replace(" ago", "");
  return `${latest.status} for ${first === 0 ? "over " : ""}${span}`;
}
