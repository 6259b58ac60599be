"use client";

import type { Draft } from "./draft";
import { envCodec, removeAt, replaceAt, withField, type EnvKind, type EnvRow } from "./draft-edits";
import { useEditorContext, useFieldErrors } from "./editor-context";
import { fieldId, messagesAt } from "./error-paths";
import { FieldErrors } from "./field";
import { useLocalBuffer } from "./text-buffer";
import styles from "./editor.module.css";

const KINDS: { value: EnvKind; label: string }[] = [
  { value: "literal", label: "text" },
  { value: "secret", label: "store secret" },
  { value: "inherit", label: "worker's value" },
];

/** Extra environment variables: the explicit allow-list of what a run receives beyond its parameters. */
export function EnvFields({ draft, onChange }: { draft: Draft; onChange: (draft: Draft) => void }) {
  const { errors } = useEditorContext();
  const [rows, edit] = useLocalBuffer(draft.env, envCodec);
  const envErrors = useFieldErrors("env");
  const update = (next: EnvRow[]) => onChange(withField(draft, "env", edit(next)));
  const duplicate = (row: EnvRow, index: number) => rows.some((other, position) => position > index && other.name === row.name);
  return (
    <>
      {rows.length === 0 ? <p className="small muted">None: the run gets its parameters, HANDRAIL_RUN_ID, HANDRAIL_RUNBOOK and a few of the worker&apos;s basics (PATH, HOME, LANG…).</p> : null}
      <ul className={styles.envList}>
        {rows.map((row, index) => {
          const rowErrors = messagesAt(errors, `env.${row.name}`);
          const set = (change: Partial<EnvRow>) => update(replaceAt(rows, index, { ...row, ...change }));
          return (
            <li key={index} className={styles.envRow}>
              <input
                id={fieldId(`env.${row.name}`)}
                type="text"
                className={`mono ${styles.monoInput}`}
                value={row.name}
                onChange={(event) => set({ name: event.target.value })}
                placeholder="NAME"
                aria-label={`Variable ${index + 1} name`}
                aria-invalid={rowErrors.length > 0 || undefined}
                spellCheck={false}
                autoComplete="off"
              />
              <select value={row.kind} onChange={(event) => set({ kind: event.target.value as EnvKind })} aria-label={`Variable ${index + 1} source`}>
                {KINDS.map((kind) => (
                  <option key={kind.value} value={kind.value}>
                    {kind.label}
                  </option>
                ))}
              </select>
              {row.kind === "inherit" ? (
                <span className="small muted">the worker&apos;s own {row.name || "value"}</span>
              ) : (
                <input
                  type="text"
                  className={`mono ${styles.monoInput}`}
                  value={row.value}
                  onChange={(event) => set({ value: event.target.value })}
                  placeholder={row.kind === "secret" ? "secret name" : "value"}
                  aria-label={`Variable ${index + 1} ${row.kind === "secret" ? "secret name" : "value"}`}
                  spellCheck={false}
                  autoComplete="off"
                />
              )}
              <button type="button" className="button small danger" onClick={() => update(removeAt(rows, index))} aria-label={`Remove variable ${row.name || index + 1}`} title="Remove">
                ✕
              </button>
              <span className={styles.rowErrors}>
                <FieldErrors messages={[...rowErrors, ...(duplicate(row, index) ? [`${row.name} is set again below; the later row wins`] : [])]} />
              </span>
            </li>
          );
        })}
      </ul>
      <FieldErrors messages={envErrors} />
      <button type="button" className={`button small ${styles.addButton}`} onClick={() => update([...rows, { name: "", kind: "literal", value: "" }])}>
        + Add variable
      </button>
    </>
  );
}
