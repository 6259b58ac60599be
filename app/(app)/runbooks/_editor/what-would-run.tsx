"use client";

import type { RunbookDefinition } from "@/lib/runbooks/definition";
import type { EnvOrigin } from "@/lib/runbooks/invocation";
import { sampleInvocation } from "./sample-invocation";
import styles from "./editor.module.css";

const ORIGINS: Record<EnvOrigin, string> = {
  worker: "worker",
  definition: "env (text)",
  secret: "secret store",
  inherited: "env (inherit)",
  parameter: "parameter",
  handrail: "Handrail",
};

/** The exact argv and environment for the sample values, from the executor's own describeInvocation, secrets masked. */
export function WhatWouldRun({ definition, sample }: { definition: RunbookDefinition; sample: Record<string, string> }) {
  const { argv, env, errors, steps } = sampleInvocation(definition, sample);
  const workerNames = env.filter((entry) => entry.origin === "worker").map((entry) => entry.name);
  return (
    <div className={styles.whatRuns}>
      <p className="small muted">For the values in the preview form above. Secrets show as ********.</p>
      {errors.length > 0 ? (
        <ul className={styles.sampleErrors} aria-label="Sample value problems">
          {errors.map((error) => (
            <li key={error.field} className="small">
              {error.message} <span className="muted">(left out here; a real run would be refused)</span>
            </li>
          ))}
        </ul>
      ) : null}
      {steps ? (
        steps.map((step, index) => (
          <div key={step.id} aria-label={`Step ${step.id}`}>
            <h4 className={styles.minorTitle}>
              {index + 1}. {step.title} <span className="small muted">({step.kind})</span>
            </h4>
            {step.when ? (
              <p className="small muted">
                only when <code>{step.when}</code>
              </p>
            ) : null}
            {step.kind === "manual" ? (
              <p className="small muted">Waits for a person to complete it.</p>
            ) : step.runbook ? (
              <p className="small">
                Requests runbook <code>{step.runbook.slug}</code> as the person who requested this run (its policy, risk and approval apply), with{" "}
                <span className="mono">
                  {Object.entries(step.runbook.params)
                    .map(([name, value]) => `${name}=${String(value)}`)
                    .join(" ") || "no parameters"}
                </span>
              </p>
            ) : (
              <>
                <ArgvList argv={step.argv} label={`argv of step ${step.id}`} />
                {step.env.length > 0 ? (
                  <p className="small mono">
                    {step.env.map((entry) => (
                      <span key={entry.name}>
                        {entry.name}={entry.value}{" "}
                      </span>
                    ))}
                  </p>
                ) : null}
              </>
            )}
          </div>
        ))
      ) : (
        <>
          <h4 className={styles.minorTitle}>argv</h4>
          <ArgvList argv={argv} label="argv" />
        </>
      )}
      <h4 className={styles.minorTitle}>Environment{steps ? " (every step)" : ""}</h4>
      <table className={`table compact ${styles.envTable}`} aria-label="Run environment">
        <thead>
          <tr>
            <th>Name</th>
            <th>Value</th>
            <th>From</th>
          </tr>
        </thead>
        <tbody>
          {env
            .filter((entry) => entry.origin !== "worker")
            .map((entry) => (
              <tr key={`${entry.origin}:${entry.name}`}>
                <td className="mono">{entry.name}</td>
                <td className="mono">{entry.value}</td>
                <td className="small muted nowrap">{ORIGINS[entry.origin]}</td>
              </tr>
            ))}
        </tbody>
      </table>
      <p className="small muted">Also the worker&apos;s own {workerNames.join(", ")}, where set. Nothing else from the worker is passed on.</p>
    </div>
  );
}

function ArgvList({ argv, label }: { argv: string[]; label: string }) {
  return (
    <ol className={styles.argvPreview} aria-label={label} start={0}>
      {argv.map((element, index) => (
        <li key={index}>
          <code>{JSON.stringify(element)}</code>
        </li>
      ))}
    </ol>
  );
}
