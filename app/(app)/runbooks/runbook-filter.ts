import type { RunbookSummary } from "@/lib/services/runbooks/runbook-dto";

export interface RunbookFilter {
  /** Words that must each appear in the title, slug, description, owner or a tag. */
  q?: string;
  risk?: string;
  owner?: string;
  tag?: string;
}

const MAX_QUERY_CHARS = 200;

/** The filter from the page's query string; anything unknown or oversized is ignored rather than refused. */
export function runbookFilterOf(query: Record<string, string>): RunbookFilter {
  const pick = (name: keyof RunbookFilter) => {
    const value = query[name]?.trim();
    return value && value.length <= MAX_QUERY_CHARS ? value : undefined;
  };
  return { q: pick("q"), risk: pick("risk"), owner: pick("owner"), tag: pick("tag") };
}

export function isFiltered(filter: RunbookFilter): boolean {
  return Boolean(filter.q || filter.risk || filter.owner || filter.tag);
}

/** Case-insensitive: every word of `q` somewhere in the runbook's words, and the exact risk, owner and tag. */
export function filterRunbooks<T extends Pick<RunbookSummary, "slug" | "title" | "description" | "owner" | "tags" | "risk">>(runbooks: T[], filter: RunbookFilter): T[] {
  const words = (filter.q ?? "").toLowerCase().split(/\s+/).filter(Boolean);
  return runbooks.filter((runbook) => {
    if (filter.risk && runbook.risk !== filter.risk) return false;
    if (filter.owner && runbook.owner !== filter.owner) return false;
    if (filter.tag && !runbook.tags.includes(filter.tag)) return false;
    const text = [runbook.title, runbook.slug, runbook.description, runbook.owner, ...runbook.tags].join(" ").toLowerCase();
    return words.every((word) => text.includes(word));
  });
}

/** The distinct values of a field, sorted, for a filter's dropdown. */
export function choicesOf(values: Iterable<string>): string[] {
  return [...new Set(values)].sort((a, b) => a.localeCompare(b));
}
