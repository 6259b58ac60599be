import path from "node:path";
import { parseArgs } from "node:util";
import { config } from "../../config/env";
import { formatPolicyFileError } from "../../policy/policy-file";
import { readPolicyFile } from "../../services/policies/read-policy-file";
import { policiesInForce, runPolicyTests } from "../../policy/run-policy-tests";
import { loadRunbooksDir } from "../../runbooks/load";
import { syncPolicies } from "../../services/policies/sync-policies";
import { cliActor, openMigrated, type CliCommand } from "../support";

function policyFile(value: string | undefined): string {
  return path.resolve(value ?? path.join(config().runbooksDir, "policies.yaml"));
}

export const policyCommands: CliCommand[] = [
  {
    name: "policies sync",
    usage: "policies sync [--file F] [--reason R]     apply a policies file (default: <runbooks dir>/policies.yaml)",
    async run(args) {
      const { values } = parseArgs({ args, options: { file: { type: "string" }, reason: { type: "string" } } });
      const file = policyFile(values.file);
      const handle = await openMigrated();
      const report = await syncPolicies(handle.db, file, cliActor(), values.reason);
      if (report.errors.length > 0) {
        for (const error of report.errors) console.error(formatPolicyFileError(error));
        console.error(`policies: nothing changed; fix the ${report.errors.length} error(s) above`);
        return 1;
      }
      console.log(
        `policies: ${report.created.length} created, ${report.updated.length} updated, ${report.unchanged.length} unchanged, ${report.archived.length} archived`,
      );
      for (const [label, names] of [["created", report.created], ["updated", report.updated], ["archived", report.archived]] as const) {
        if (names.length > 0) console.log(`  ${label}: ${names.join(", ")}`);
      }
    },
  },
  {
    name: "policies test",
    usage: "policies test [--file F] [--without-defaults]\n                                            run the file's test cases offline (no database needed)",
    async run(args) {
      const { values } = parseArgs({ args, options: { file: { type: "string" }, "without-defaults": { type: "boolean" } } });
      const file = policyFile(values.file);
      const loaded = readPolicyFile(file);
      if (loaded.errors.length > 0) {
        for (const error of loaded.errors) console.error(formatPolicyFileError(error));
        return 1;
      }
      const runbooks = loadRunbooksDir(config().runbooksDir).runbooks.map((runbook) => runbook.definition);
      const results = runPolicyTests(loaded.tests, policiesInForce(loaded.policies, !values["without-defaults"]), runbooks);
      for (const result of results) {
        console.log(`${result.passed ? "ok  " : "FAIL"} ${result.label}: expected ${result.test.expect}, got ${result.actual} — ${result.message}`);
      }
      const failed = results.filter((result) => !result.passed).length;
      console.log(`${results.length - failed} passed, ${failed} failed`);
      return failed > 0 ? 1 : 0;
    },
  },
];
