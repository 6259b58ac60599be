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
