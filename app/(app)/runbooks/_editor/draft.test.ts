import { describe, expect, it } from "vitest";
import { parseRunbookYaml, parseSourceObject } from "@/lib/runbooks/source";
import { draftFromYaml, draftToYaml } from "./draft";
import { NEW_RUNBOOK_TEMPLATE } from "./template";

describe("draft <-> YAML", () => {
  it("reads a runbook into a draft and writes it back with the loader's key order", () => {
    const parsed = draftFromYaml("command: [uptime]\nrisk: low\nslug: up\ntitle: Up\nowner: sre\ntimeout: 10s\n");
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(draftToYaml(parsed.draft)).toBe("slug: up\ntitle: Up\nowner: sre\nrisk: low\ntimeout: 10s\ncommand:\n  - uptime\n");
  });

  it("orders parameter and script keys, and keeps keys it does not know so the schema can report them", () => {
    const parsed = draftFromYaml(
      "slug: a\ncolour: red\nparameters:\n  - { max: 3, type: integer, name: n }\nscript: { content: 'echo hi', language: bash }\n",
    );
    if (!parsed.ok) throw new Error(parsed.reason);
    const yaml = draftToYaml(parsed.draft);
    expect(yaml).toContain("parameters:\n  - name: n\n    type: integer\n    max: 3\n");
    expect(yaml).toContain("script:\n  language: bash\n  content: echo hi\n");
    expect(yaml).toContain("colour: red");
    expect(parseRunbookYaml(yaml)).toEqual({ ok: false, errors: expect.arrayContaining([{ field: "(runbook)", message: 'Unrecognized key: "colour"' }]) });
  });

  it("keeps multi-line scripts as literal blocks that parse back to the same definition", () => {
    const parsed = draftFromYaml(NEW_RUNBOOK_TEMPLATE);
    if (!parsed.ok) throw new Error(parsed.reason);
    const yaml = draftToYaml(parsed.draft);
    expect(yaml).toContain("content: |\n    set -euo pipefail\n");
    expect(parseRunbookYaml(yaml)).toEqual(parseSourceObject(parsed.draft));
    expect(parseRunbookYaml(yaml).ok).toBe(true);
  });

  it("refuses what the form cannot show, saying where", () => {
    expect(draftFromYaml("slug: [\n")).toEqual({ ok: false, reason: expect.stringContaining("the YAML does not parse") });
    expect(draftFromYaml("- a\n- b\n")).toEqual({ ok: false, reason: expect.stringContaining("must be a mapping") });
    expect(draftFromYaml("slug: a\nparameters: three\n")).toEqual({ ok: false, reason: "parameters has a shape the form cannot show" });
    expect(draftFromYaml("slug: a\nparameters:\n  - name: { nested: true }\n")).toEqual({ ok: false, reason: "parameters.0.name has a shape the form cannot show" });
  });

  it("accepts shapes the schema rejects but the form can show, so their errors appear next to fields", () => {
    const parsed = draftFromYaml("slug: a\ntimeout: 30\ntags:\nenv: { PORT: 8080, TOKEN: { secret: t }, HOME: { inherit: true } }\n");
    expect(parsed.ok).toBe(true);
    expect(draftFromYaml("").ok).toBe(true);
  });
});
