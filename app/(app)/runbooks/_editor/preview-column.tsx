"use client";

import { useState, type FormEvent } from "react";
import type { FormState } from "@/lib/api/errors";
import type { ParameterDefinition, RunbookDefinition } from "@/lib/runbooks/definition";
import { RunForm } from "../[slug]/run-form";
import { initialSample } from "./sample-invocation";
import { WhatWouldRun } from "./what-would-run";
import styles from "./editor.module.css";

async function previewOnly(): Promise<FormState> {
  return { error: "This is a preview: nothing runs from the editor. “What would run” below shows exactly what would." };
}

/** What the run form sends: `param:<name>` fields, an unticked checkbox as false. */
function readSample(form: HTMLFormElement, parameters: readonly ParameterDefinition[]): Record<string, string> {
  const data = new FormData(form);
  return Object.fromEntries(
    parameters.map((parameter) => {
      const value = data.get(`param:${parameter.name}`);
      return [parameter.name, parameter.type === "boolean" ? String(value !== null) : typeof value === "string" ? value : ""];
    }),
  );
}

interface Props {
  /** The newest valid definition; null until the draft has been valid once. */
  definition: RunbookDefinition | null;
  /** The draft has problems, so this is the last valid version. */
  stale: boolean;
}

export function PreviewColumn({ definition, stale }: Props) {
  const parameters = definition?.parameters ?? [];
  // The run form is uncontrolled: it restarts from the defaults whenever the parameters change, and so do the samples.
  const formKey = JSON.stringify(parameters);
  const [sample, setSample] = useState(() => ({ key: formKey, values: initialSample(parameters) }));
  const current = sample.key === formKey ? sample : { key: formKey, values: initialSample(parameters) };
  if (current !== sample) setSample(current);
  const onFormChange = (event: FormEvent<HTMLDivElement>) => {
    const form = (event.target as HTMLElement).closest("form");
    if (form) setSample({ key: formKey, values: readSample(form, parameters) });
  };

  if (!definition) {
    return (
      <section className="panel">
        <h2>Preview</h2>
        <p className="muted">The run form appears here once the runbook is valid.</p>
      </section>
    );
  }
  return (
    <>
      <section className="panel" aria-label="Run form preview">
        <h2>Preview</h2>
        <p className={styles.previewNote}>
          {stale ? "Showing the last valid version — fix the problems to update it." : "This is the run form runners will see. Nothing runs from here."}
        </p>
        <h3 className={styles.previewTitle}>{definition.title}</h3>
        {definition.description ? <p className="small muted">{definition.description}</p> : null}
        <div onChange={onFormChange} className={styles.previewForm}>
          <RunForm
            key={formKey}
            parameters={definition.parameters}
            runbook={{ slug: definition.slug, risk: definition.risk, owner: definition.owner, tags: definition.tags, environment: definition.environment ?? null }}
            action={previewOnly}
          />
        </div>
      </section>
      <section className="panel" aria-label="What would run">
        <h2>What would run</h2>
        <WhatWouldRun definition={definition} sample={current.values} />
      </section>
    </>
  );
}
