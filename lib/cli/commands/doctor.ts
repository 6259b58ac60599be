import { config } from "../../config/env";
import { runIsolationDoctor } from "../../executor/isolation/doctor";
import { installDir } from "../../executor/isolation/install-dir";
import { isolationFor } from "../../executor/isolation/run-isolation";
import type { CliCommand } from "../support";

export const doctorCommands: CliCommand[] = [
  {
    name: "doctor",
    usage: "doctor                                    show how runs are isolated here, and prove it with a canary",
    async run() {
      const settings = config();
      const isolation = isolationFor(settings, settings.databaseUrl === undefined);
      console.log(`isolation: ${isolation.plan.description}`);
      const checks = await runIsolationDoctor(isolation, settings.dataDir, installDir());
      for (const check of checks) console.log(`  ${check.ok ? "ok  " : "FAIL"}  ${check.name} (${check.detail})`);
      const failed = checks.filter((check) => !check.ok).length;
      console.log(failed === 0 ? "every canary stayed out of the run's reach" : `${failed} check(s) failed: runs here can reach what they must not (see docs/security.md)`);
      return failed === 0 ? 0 : 1;
    },
  },
];
