"use client";

import type { Scalar } from "./draft";
import { moveItem, removeAt, replaceAt } from "./draft-edits";
import { useFieldErrors } from "./editor-context";
import { fieldId } from "./error-paths";
import { FieldErrors } from "./field";
import { displayText } from "./text-values";
import { RowButtons } from "./row-buttons";
import styles from "./editor.module.css";

interface Props {
  /** Where the list sits in the runbook, for its errors: "command", "args", "steps.2.command". */
  field: string;
  elements: Scalar[];
  onChange: (elements: Scalar[]) => void;
  /** Declared parameter names, offered as whole-element placeholders. */
  parameterNames: string[];
  firstLabel?: string;
}

function ArgvRow({ field, index, count, value, onChange, onMove, onRemove, label }: {
  field: string;
  index: number;
  count: number;
  value: Scalar;
  onChange: (value: string) => void;
  onMove: (delta: number) => void;
  onRemove: () => void;
  label: string;
}) {
  const path = `${field}.${index}`;
  const errors = useFieldErrors(path);
  return (
    <li className={styles.argvRow}>
      <span className={styles.argvIndex}>{index}</span>
      <input
        id={fieldId(path)}
        type="text"
        className={`mono ${styles.monoInput}`}
        value={displayText(value)}
        onChange={(event) => onChange(event.target.value)}
        aria-label={label}
        aria-invalid={errors.length > 0 || undefined}
        spellCheck={false}
        autoComplete="off"
      />
      <RowButtons index={index} count={count} name={label} onMove={onMove} onRemove={onRemove} />
      {errors.length > 0 ? (
        <span className={styles.rowErrors}>
          <FieldErrors messages={errors} />
        </span>
      ) : null}
    </li>
  );
}

/** An argv, one element per row: what you see is exactly the list of arguments the process gets. */
export function ArgvList({ field, elements, onChange, parameterNames, firstLabel }: Props) {
  const listErrors = useFieldErrors(field);
  const labelOf = (index: number) => (index === 0 && firstLabel ? firstLabel : `${field} element ${index}`);
  return (
    <div className={styles.argv}>
      <ol className={styles.argvList} id={fieldId(field)} tabIndex={-1}>
        {elements.map((element, index) => (
          <ArgvRow
            key={index}
            field={field}
            index={index}
            count={elements.length}
            value={element}
            label={labelOf(index)}
            onChange={(value) => onChange(replaceAt(elements, index, value))}
            onMove={(delta) => onChange(moveItem(elements, index, delta))}
            onRemove={() => onChange(removeAt(elements, index))}
          />
        ))}
      </ol>
      <FieldErrors messages={listErrors} />
      <div className={styles.chips}>
        <button type="button" className="button small" onClick={() => onChange([...elements, ""])}>
          + Add {elements.length === 0 && firstLabel ? "program" : "argument"}
        </button>
        {parameterNames.length > 0 ? <span className="small muted">Insert a parameter:</span> : null}
        {parameterNames.map((name) => (
          <button key={name} type="button" className={styles.chip} onClick={() => onChange([...elements, `{{${name}}}`])} title={`Add {{${name}}} as its own argument`}>
            {`{{${name}}}`}
          </button>
        ))}
      </div>
    </div>
  );
}
