import { describe, expect, it } from "vitest";
import type { ParameterDefinition } from "@/lib/runbooks/definition";
import { prefillFromQuery, realRunHref } from "./prefill";

const parameters: ParameterDefinition[] = [
  { name: "service", type: "enum", allowed: ["api", "web"], required: true },
  { name: "instances", type: "integer", required: false },
  { name: "token", type: "secret", required: false },
  { name: "dry_run", type: "boolean", required: false, default: false },
];

describe("prefill from a dry run", () => {
  it("carries the values but never a secret or the dry-run switch", () => {
    const href = realRunHref("rolling-restart", parameters, "dry_run", {
      params: { service: "api", instances: 3, token: "********", dry_run: true },
      reason: "stuck deploy",
      ticket: null,
    });
    const url = new URL(href, "http://x");
    expect(url.pathname).toBe("/runbooks/rolling-restart");
    expect(JSON.parse(url.searchParams.get("params") ?? "")).toEqual({ service: "api", instances: 3 });
    expect(url.searchParams.get("reason")).toBe("stuck deploy");
    expect(url.searchParams.has("ticket")).toBe(false);
  });

  it("reads the link back as strings for the form, ignoring anything malformed", () => {
    expect(prefillFromQuery({ params: '{"service":"api","instances":3,"flag":true}', ticket: "INC-1" })).toEqual({
      params: { service: "api", instances: "3", flag: "true" },
      ticket: "INC-1",
    });
    expect(prefillFromQuery({ params: "{not json" })).toEqual({ params: {} });
    expect(prefillFromQuery({ params: '{"nested":{"a":1}}' })).toEqual({ params: {} });
    expect(prefillFromQuery({})).toEqual({ params: {} });
  });
});
