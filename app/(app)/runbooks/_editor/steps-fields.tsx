"use client";

import type { Draft } from "./draft";
import { addStep, moveItem, parametersOf, removeAt, replaceAt, stepsOf, withSteps } from "./draft-edits";
import { useFieldErrors } from "./editor-context";
import { FieldErrors } from "./field";
import { StepCard } from "./step-card";
import { displayText } from "./text-values";
import styles from "./editor.module.css";

/** The steps of a runbook of steps, in order: add, edit, reorder, remove. */
export function StepsFields({ draft, onChange }: { draft: Draft; onChange: (draft: Draft) => void }) {
  const steps = stepsOf(draft);
  const listErrors = useFieldErrors("steps");
  const names = parametersOf(draft)
    .map((parameter) => displayText(parameter.name))
    .filter((name) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(name));
  return (
    <div aria-label="Steps">
      <p className="field-help">
        Steps run in order. A manual step waits for a person to tick it. A step passes values on by writing <code>key=value</code> lines to{" "}
        <code>$HANDRAIL_OUTPUTS</code>; later steps read them as <code>{"{{steps.<id>.outputs.<key>}}"}</code>. A step&apos;s <code>env</code> and a manual
        step&apos;s <code>value</code> are edited in the YAML view.
      </p>
      <ol className={styles.paramList}>
        {steps.map((step, index) => (
          <StepCard
            // Index keys: each input re-reads its value when a reorder hands it another step.
            key={index}
            index={index}
            count={steps.length}
            step={step}
            parameterNames={names}
            onChange={(next) => onChange(withSteps(draft, replaceAt(steps, index, next)))}
            onMove={(delta) => onChange(withSteps(draft, moveItem(steps, index, delta)))}
            onRemove={() => onChange(withSteps(draft, removeAt(steps, index)))}
          />
        ))}
      </ol>
      <FieldErrors messages={listErrors} />
      <p className="toolbar">
        <button type="button" className={`button small ${styles.addButton}`} onClick={() => onChange(addStep(draft, "command"))}>
          + Command step
        </button>
        <button type="button" className={`button small ${styles.addButton}`} onClick={() => onChange(addStep(draft, "script"))}>
          + Script step
        </button>
        <button type="button" className={`button small ${styles.addButton}`} onClick={() => onChange(addStep(draft, "manual"))}>
          + Manual step
        </button>
      </p>
    </div>
  );
}
