"use client";

import type { ReactNode } from "react";
import { useFieldErrors } from "./editor-context";
import { fieldId } from "./error-paths";
import { useLocalBuffer } from "./text-buffer";
import type { TextCodec } from "./text-values";
import styles from "./editor.module.css";

/** A labelled input with its help and the schema's errors for its path. */
export function Field({ field, label, help, wide, children }: { field: string; label: ReactNode; help?: ReactNode; wide?: boolean; children: ReactNode }) {
  const errors = useFieldErrors(field);
  return (
    <div className={`field ${wide ? styles.wide : ""}`}>
      <label htmlFor={fieldId(field)} className="field-label">
        {label}
      </label>
      {children}
      {help ? <span className="field-help">{help}</span> : null}
      <FieldErrors messages={errors} />
    </div>
  );
}

export function FieldErrors({ messages }: { messages: readonly string[] }) {
  return messages.map((message) => (
    <span key={message} className="field-error" role="alert">
      {message}
    </span>
  ));
}

interface BufferedProps<T> {
  field: string;
  value: T;
  codec: TextCodec<T>;
  onValue: (value: T) => void;
  placeholder?: string;
  mono?: boolean;
  readOnly?: boolean;
  label?: string;
}

/** A text input over a parsed value: keeps what is typed, stores what it means. */
export function BufferedInput<T>({ field, value, codec, onValue, placeholder, mono, readOnly, label }: BufferedProps<T>) {
  const [text, edit] = useLocalBuffer(value, codec);
  const invalid = useFieldErrors(field).length > 0;
  return (
    <input
      id={fieldId(field)}
      type="text"
      value={text}
      onChange={(event) => onValue(edit(event.target.value))}
      placeholder={placeholder}
      readOnly={readOnly}
      aria-invalid={invalid || undefined}
      aria-label={label}
      className={mono ? `mono ${styles.monoInput}` : undefined}
      spellCheck={false}
      autoComplete="off"
    />
  );
}

export function BufferedTextarea<T>({ field, value, codec, onValue, placeholder, mono, label, rows = 3 }: BufferedProps<T> & { rows?: number }) {
  const [text, edit] = useLocalBuffer(value, codec);
  const invalid = useFieldErrors(field).length > 0;
  return (
    <textarea
      id={fieldId(field)}
      value={text}
      onChange={(event) => onValue(edit(event.target.value))}
      placeholder={placeholder}
      rows={Math.min(8, Math.max(rows, text.split("\n").length, Math.ceil(text.length / 90)))}
      aria-invalid={invalid || undefined}
      aria-label={label}
      className={`${styles.textarea} ${mono ? "mono" : ""}`}
      spellCheck={false}
    />
  );
}
