import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { runbookFileSchema } from "./definition";
import { loadRunbooksDir } from "./load";
import { definitionToSource, definitionToYaml, parseRunbookYaml } from "./source";

function dirWith(files: Record<string, string | Buffer>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "handrail-files-"));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

const yaml = (files: string[]) => `
slug: with-files
title: With files
owner: platform
risk: low
timeout: 30s
command: ["cat", "fixtures/a.txt"]
files: ${JSON.stringify(files)}
`;

const errorsOf = (dir: string) => loadRunbooksDir(dir).errors.map((error) => [error.field, error.message]);

describe("files: in a runbook file", () => {
  it("loads each file's text with the version, at its path relative to the YAML", () => {
    const dir = dirWith({ "a.yaml": yaml(["fixtures/a.txt", "b.json"]), "fixtures/a.txt": "\uFEFFone\ntwo\n", "b.json": "{}" });
    const { runbooks, errors } = loadRunbooksDir(dir);
    expect(errors).toEqual([]);
    expect(runbooks[0]?.definition.files).toEqual([
      { path: "fixtures/a.txt", content: "\uFEFFone\ntwo\n" },
      { path: "b.json", content: "{}" },
    ]);
  });

  it("pins content: the same files give the same version, one changed byte a new one, and `files: []` none at all", () => {
    const load = (content: string) => loadRunbooksDir(dirWith({ "a.yaml": yaml(["fixtures/a.txt"]), "fixtures/a.txt": content })).runbooks[0]?.hash;
    expect(load("same")).toBe(load("same"));
    expect(load("same")).not.toBe(load("Same"));
    const none = loadRunbooksDir(dirWith({ "a.yaml": yaml([]) })).runbooks[0];
    const absent = loadRunbooksDir(dirWith({ "a.yaml": yaml([]).replace("files: []\n", "") })).runbooks[0];
    expect(none?.definition.files).toBeUndefined();
    expect(none?.hash).toBe(absent?.hash);
  });

  it("names the field and the path of a missing file, a directory, or one outside the runbook's directory", () => {
    const outside = dirWith({ "secret.txt": "no" });
    const dir = dirWith({ "a.yaml": yaml(["fixtures/a.txt", "missing.txt", "more", "link.txt"]), "fixtures/a.txt": "ok", "more/b.txt": "b" });
    fs.symlinkSync(path.join(outside, "secret.txt"), path.join(dir, "link.txt"));
    expect(errorsOf(dir)).toEqual([
      ["files.1", `file not found: ${path.join(dir, "missing.txt")}`],
      ["files.2", "more is not a regular file"],
      ["files.3", expect.stringMatching(/^link\.txt resolves to .*secret\.txt, outside the runbook's directory$/)],
    ]);
  });

  it("refuses a file over 1 MiB, more than 4 MiB in all, and anything that is not UTF-8 text", () => {
    const big = "x".repeat(1024 * 1024 + 1);
    expect(errorsOf(dirWith({ "a.yaml": yaml(["big.txt"]), "big.txt": big }))).toEqual([["files.0", "big.txt is larger than 1 MiB (1048577 bytes)"]]);
    const nearlyMiB = "x".repeat(1024 * 1024 - 10);
    const five = ["1", "2", "3", "4", "5"].map((name) => `${name}.txt`);
    const many = dirWith({ "a.yaml": yaml(five), ...Object.fromEntries(five.map((name) => [name, nearlyMiB])) });
    expect(errorsOf(many)).toEqual([["files", "the files add up to 5242830 bytes, more than 4 MiB"]]);
    const binary = dirWith({ "a.yaml": yaml(["bad.bin", "nul.txt"]), "bad.bin": Buffer.from([0x66, 0xff, 0xfe, 0x00]), "nul.txt": "a\0b" });
    expect(errorsOf(binary)).toEqual([
      ["files.0", "bad.bin is not valid UTF-8 text; files can carry text only"],
      ["files.1", "nul.txt contains NUL bytes, so it is not text; files can carry text only"],
    ]);
  });
});

describe("files: paths", () => {
  const base = YAML.parse(yaml([])) as Record<string, unknown>;
  const problems = (files: unknown) => {
    const parsed = runbookFileSchema.safeParse({ ...base, files });
    return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
  };

  it("accepts plain relative paths, and refuses absolute ones, .. segments and the like", () => {
    expect(problems(["fixtures/a.log", "cert.pem", "deep/er/x"])).toEqual([]);
    expect(problems(["/etc/passwd"])).toEqual(['files.0: "/etc/passwd": must be relative to the YAML file, not absolute']);
    expect(problems(["../secrets.txt"])).toEqual(['files.0: "../secrets.txt": must not contain .. segments']);
    expect(problems(["a/../../b"])).toEqual(['files.0: "a/../../b": must not contain .. segments']);
    expect(problems(["./a", "a//b", "dir/"]).map((problem) => problem.split(": ").slice(-1)[0])).toEqual(Array(3).fill('write it without "./", "//" or a trailing /'));
    expect(problems(["a\\b"])).toEqual(['files.0: "a\\b": separate directories with /']);
    expect(problems([".handrail-run.sh"])[0]).toContain("reserved");
    expect(problems([""])).toEqual(["files.0: the path is empty"]);
  });

  it("allows at most 20, each once, and no file that is also another's directory", () => {
    expect(problems(Array.from({ length: 21 }, (_, index) => `f${index}`))).toEqual(["files: at most 20 files"]);
    expect(problems(["a", "a"])).toEqual(['files.1: "a" is listed twice']);
    expect(problems(["a", "a/b"])).toEqual(['files.0: "a" cannot be a file and the directory of "a/b"']);
  });
});

describe("files: outside the loader", () => {
  it("are refused in a definition written in Handrail", () => {
    const parsed = parseRunbookYaml(yaml(["fixtures/a.txt"]));
    expect(parsed).toEqual({ ok: false, errors: [{ field: "files", message: expect.stringContaining("files work only for runbooks kept in files") }] });
    expect(parseRunbookYaml(yaml([])).ok).toBe(true);
  });

  it("render as their paths, after the command", () => {
    const { runbooks } = loadRunbooksDir(dirWith({ "a.yaml": yaml(["fixtures/a.txt"]), "fixtures/a.txt": "secret-ish content" }));
    const definition = runbooks[0]?.definition;
    if (!definition) throw new Error("did not load");
    expect(definitionToSource(definition).files).toEqual(["fixtures/a.txt"]);
    const text = definitionToYaml(definition);
    expect(text).toContain("files:\n  - fixtures/a.txt\n");
    expect(text).not.toContain("secret-ish");
    expect(text.indexOf("files:")).toBeGreaterThan(text.indexOf("command:"));
  });
});
