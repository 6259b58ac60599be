"use client";

import type { Draft } from "./draft";
import { addParameter, moveItem, parametersOf, removeAt, replaceAt, withParameters } from "./draft-edits";
import { useFieldErrors } from "./editor-context";
import { FieldErrors } from "./field";
import { ParameterCard } from "./parameter-card";
import styles from "./editor.module.css";

export function ParametersFields({ draft, onChange }: { draft: Draft; onChange: (draft: Draft) => void }) {
  const parameters = parametersOf(draft);
  const listErrors = useFieldErrors("parameters");
  return (
    <>
      {parameters.length === 0 ? <p className="small muted">No parameters: the runbook runs the same way every time.</p> : null}
      <ol className={styles.paramList}>
        {parameters.map((parameter, index) => (
          <ParameterCard
            // Index keys: each input re-reads its value when a reorder hands it another parameter.
            key={index}
            index={index}
            count={parameters.length}
            parameter={parameter}
            onChange={(next) => onChange(withParameters(draft, replaceAt(parameters, index, next)))}
            onMove={(delta) => onChange(withParameters(draft, moveItem(parameters, index, delta)))}
            onRemove={() => onChange(withParameters(draft, removeAt(parameters, index)))}
          />
        ))}
      </ol>
      <FieldErrors messages={listErrors} />
      <button type="button" className={`button small ${styles.addButton}`} onClick={() => onChange(addParameter(draft))}>
        + Add parameter
      </button>
    </>
  );
}
