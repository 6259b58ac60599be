import { describe, expect, it } from "vitest";
import { parseRunbookYaml } from "@/lib/runbooks/source";
import { yamlDiagnostics } from "./yaml-diagnostics";

const text = `slug: demo
title: Demo
owner: sre
risk: extreme
timeout: 10s
parameters:
  - name: lines
    type: integer
    default: 0
    min: 1
    colour: red
command: ["tail", "-n", "{{lines}}", "--file={{file}}"]
`;

function marked(source: string, errors: { field: string; message: string }[]) {
  return yamlDiagnostics(source, errors).map((diagnostic) => [source.slice(diagnostic.from, diagnostic.to), diagnostic.message]);
}

describe("YAML lint markers", () => {
  it("points each schema error at its node", () => {
    const parsed = parseRunbookYaml(text);
    if (parsed.ok) throw new Error("expected errors");
    const marks = marked(text, parsed.errors);
    expect(marks).toContainEqual(["extreme", expect.stringMatching(/^risk: /)]);
    expect(marks).toContainEqual(["colour", expect.stringMatching(/^parameters\.0: Unrecognized key/)]);
    expect(marks).toContainEqual(['"--file={{file}}"', expect.stringMatching(/^command\.3: /)]);
  });

  it("marks the first line of the mapping where a required field is missing", () => {
    expect(marked(text, [{ field: "parameters.0.description", message: "is required" }])).toEqual([["- name: lines".slice(2), "parameters.0.description: is required"]]);
    expect(marked("title: x\n", [{ field: "slug", message: "is required" }])).toEqual([["title: x", "slug: is required"]]);
  });

  it("marks where the YAML stops parsing", () => {
    const broken = "slug: a\ntitle: [b\nowner: c\n";
    const [diagnostic] = yamlDiagnostics(broken, [{ field: "(yaml)", message: "is not valid YAML" }]);
    expect(diagnostic?.from).toBeGreaterThan(0);
    expect(diagnostic && diagnostic.to > diagnostic.from).toBe(true);
  });

  it("stays inside the text", () => {
    expect(yamlDiagnostics("", [{ field: "(yaml)", message: "empty" }])).toEqual([{ from: 0, to: 0, message: "(yaml): empty" }]);
  });
});
