import { describe, expect, it } from "vitest";
import { choicesOf, filterRunbooks, isFiltered, runbookFilterOf } from "./runbook-filter";

const runbooks = [
  { slug: "rolling-restart", title: "Rolling restart", description: "Restart a service's pods batch by batch", owner: "platform", tags: ["k8s", "restart"], risk: "high" as const },
  { slug: "disk-usage", title: "Disk usage", description: "Largest directories under a path", owner: "sre", tags: ["disk"], risk: "low" as const },
  { slug: "log-search", title: "Log search", description: "Grep an allowed log file", owner: "sre", tags: ["logs"], risk: "medium" as const },
];
const slugs = (filter: Parameters<typeof filterRunbooks>[1]) => filterRunbooks(runbooks, filter).map((runbook) => runbook.slug);

describe("runbook list filter", () => {
  it("matches every word in the title, slug, description, owner or tags, ignoring case", () => {
    expect(slugs({ q: "RESTART pods" })).toEqual(["rolling-restart"]);
    expect(slugs({ q: "sre" })).toEqual(["disk-usage", "log-search"]);
    expect(slugs({ q: "k8s" })).toEqual(["rolling-restart"]);
    expect(slugs({ q: "restart disk" })).toEqual([]);
    expect(slugs({})).toEqual(["rolling-restart", "disk-usage", "log-search"]);
  });

  it("narrows by exact risk, owner and tag, combined with the words", () => {
    expect(slugs({ risk: "medium" })).toEqual(["log-search"]);
    expect(slugs({ owner: "sre", q: "directories" })).toEqual(["disk-usage"]);
    expect(slugs({ tag: "logs" })).toEqual(["log-search"]);
    expect(slugs({ tag: "log" })).toEqual([]);
  });

  it("reads the query string, dropping blanks and oversized values", () => {
    expect(runbookFilterOf({ q: "  disk ", risk: "", owner: "x".repeat(201) })).toEqual({ q: "disk", risk: undefined, owner: undefined, tag: undefined });
    expect(isFiltered(runbookFilterOf({}))).toBe(false);
    expect(isFiltered({ tag: "disk" })).toBe(true);
  });

  it("offers each choice once, sorted", () => {
    expect(choicesOf(["sre", "platform", "sre", "data"])).toEqual(["data", "platform", "sre"]);
  });
});
