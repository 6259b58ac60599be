import { describe, expect, it } from "vitest";
import { parseSourceObject } from "@/lib/runbooks/source";
import { humanizeMessage, messagesAt, messagesElsewhereUnder } from "./error-paths";
import { validateDraft, validateYaml } from "./validate";

describe("error paths", () => {
  const errors = [
    { field: "parameters.1.default", message: "too big" },
    { field: "parameters.1", message: 'Unrecognized key: "colour"' },
    { field: "parameters.1.name", message: "bad name" },
    { field: "parameters.10.name", message: "other parameter" },
  ];

  it("finds the errors for one input by its path", () => {
    expect(messagesAt(errors, "parameters.1.default")).toEqual(["too big"]);
    expect(messagesAt(errors, "parameters.2.default")).toEqual([]);
  });

  it("collects what a parameter's inputs do not show, without its neighbours'", () => {
    expect(messagesElsewhereUnder(errors, "parameters.1", ["parameters.1.name"])).toEqual(["default: too big", 'Unrecognized key: "colour"']);
  });

  it("words zod's messages plainly", () => {
    expect(humanizeMessage("Invalid input: expected string, received undefined")).toBe("is required");
    expect(humanizeMessage("Too small: expected string to have >=1 characters")).toBe("must not be empty");
    expect(humanizeMessage('Invalid option: expected one of "low"|"medium"|"high"')).toBe("must be one of: low, medium, high");
    expect(humanizeMessage("Invalid input: expected array, received string")).toBe("expected array, received string");
    expect(humanizeMessage('must be a duration such as "90s"')).toBe('must be a duration such as "90s"');
    expect(humanizeMessage("is not valid YAML: Map keys must be unique at line 3, column 1:")).toBe("is not valid YAML: Map keys must be unique at line 3, column 1");
  });
});

describe("validation", () => {
  const draft = { slug: "a", title: "A", owner: "sre", risk: "low", timeout: "10s", command: ["uptime"] };

  it("uses the loader's schema", () => {
    expect(validateDraft(draft).definition).toEqual((parseSourceObject(draft) as { definition: unknown }).definition);
    expect(validateDraft({ ...draft, timeout: "5 minutes" }).errors).toEqual([{ field: "timeout", message: 'must be a duration such as "90s", "5m" or "1h"' }]);
    expect(validateDraft({ ...draft, title: undefined }).errors).toEqual([{ field: "title", message: "is required" }]);
  });

  it("refuses a changed slug when editing", () => {
    expect(validateDraft(draft, "a").errors).toEqual([]);
    expect(validateDraft(draft, "b")).toEqual({ definition: null, errors: [{ field: "slug", message: 'cannot change from "b"; create a new runbook instead' }] });
  });

  it("reports YAML that does not parse", () => {
    expect(validateYaml("slug: [").errors[0]?.field).toBe("(yaml)");
  });
});
