import { describe, expect, it } from "vitest";
import { runRequestBody } from "@/lib/services/runs/run-fields";
import { intentOf, paramsFromForm, runRequestFromForm } from "./run-request";

function form(entries: Array<[string, string]>): FormData {
  const data = new FormData();
  for (const [key, value] of entries) data.append(key, value);
  return data;
}

const filled: Array<[string, string]> = [
  ["param:service", "api"],
  ["boolean:dry_run", "1"],
  ["risk", "high"],
  ["reason", "deploy stuck"],
  ["ticket", "INC-42"],
  ["confirm", "rolling-restart"],
  ["justification", "prod is down and nobody answers"],
  ["incident", "INC-42"],
];

describe("run form → request body", () => {
  it("reads parameters, with an unticked checkbox as false", () => {
    expect(paramsFromForm(form([["param:service", "api"], ["boolean:dry_run", "1"], ["boolean:force", "1"], ["param:force", "on"]]))).toEqual({
      service: "api",
      dry_run: "false",
      force: "on",
    });
  });

  it("sends the safety fields for a normal request, without break-glass", () => {
    const body = runRequestFromForm(form([...filled, ["intent", "run"]]));
    expect(body).toEqual({ params: { service: "api", dry_run: "false" }, risk: "high", reason: "deploy stuck", ticket: "INC-42", confirm: "rolling-restart" });
    expect(runRequestBody.safeParse(body).success).toBe(true);
  });

  it("leaves empty optional fields out, so a blank ticket is not a malformed one", () => {
    expect(runRequestFromForm(form([["param:service", "api"], ["reason", "  "], ["ticket", ""], ["risk", ""], ["confirm", ""]]))).toEqual({ params: { service: "api" } });
  });

  it("a dry run sends neither risk, confirmation nor break-glass", () => {
    const body = runRequestFromForm(form([...filled, ["intent", "dry-run"]]));
    expect(body).toEqual({ params: { service: "api", dry_run: "false" }, reason: "deploy stuck", ticket: "INC-42", dryRun: true });
  });

  it("only the break-glass button sends the break-glass fields, even empty ones, so the server names them", () => {
    expect(runRequestFromForm(form([...filled, ["intent", "break-glass"]])).breakGlass).toEqual({ justification: "prod is down and nobody answers", incident: "INC-42" });
    expect(runRequestFromForm(form([["intent", "break-glass"]])).breakGlass).toEqual({ justification: "", incident: "" });
  });

  it("treats an unknown intent as a normal run", () => {
    expect(intentOf(form([["intent", "approve-myself"]]))).toBe("run");
    expect(intentOf(form([]))).toBe("run");
  });
});
