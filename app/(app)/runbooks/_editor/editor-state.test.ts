import { describe, expect, it } from "vitest";
import { editedAsYaml, editedInForm, snapshotFromYaml, validationOf } from "./editor-state";
import { withField } from "./draft-edits";

const yaml = "slug: a\ntitle: A\nowner: sre\nrisk: low\ntimeout: 10s\ncommand: [uptime]\n";

describe("form and YAML in sync", () => {
  it("a form edit rewrites the YAML", () => {
    const start = snapshotFromYaml(yaml);
    const edited = editedInForm(withField(start.draft, "title", "Renamed"));
    expect(edited.yaml).toContain("title: Renamed\n");
    expect(validationOf(edited).definition?.title).toBe("Renamed");
  });

  it("a YAML edit updates the form when it parses, and keeps the text as typed", () => {
    const start = snapshotFromYaml(yaml);
    const typed = "# comment kept\n" + yaml.replace("title: A", "title: B");
    const edited = editedAsYaml(start, typed);
    expect(edited).toMatchObject({ yaml: typed, outOfSync: null });
    expect(edited.draft.title).toBe("B");
  });

  it("YAML the form cannot show leaves the form as it was, out of sync, and is judged as text", () => {
    const start = snapshotFromYaml(yaml);
    const edited = editedAsYaml(start, "slug: a\ntitle: [oops\n");
    expect(edited.draft).toBe(start.draft);
    expect(edited.outOfSync).toMatch(/does not parse/);
    expect(validationOf(edited).errors[0]?.field).toBe("(yaml)");
    expect(editedAsYaml(edited, yaml).outOfSync).toBeNull();
  });
});
