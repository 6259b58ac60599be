"use client";

import { useActionState, useId, useState, type ReactNode } from "react";
import type { FormState } from "@/lib/api/errors";
import styles from "./reason-form.module.css";

interface Props {
  action: (state: FormState, formData: FormData) => Promise<FormState>;
  /** The text field's name (message, reason, comment); omit for a plain button. */
  field?: string;
  label?: string;
  required?: boolean;
  placeholder?: string;
  submit: string;
  buttonClass?: string;
  testId?: string;
}

/** One server action with an optional "why" text; the server's refusal shows beside the field it names. */
export function ReasonForm({ action, field, label, required = true, placeholder, submit, buttonClass = "button primary", testId }: Props) {
  const [state, formAction, pending] = useActionState(action, {});
  // Controlled, so a refused submission keeps what was typed (React resets uncontrolled forms).
  const [text, setText] = useState("");
  const id = useId();
  const fieldError = field && state.field === field ? state.error : undefined;
  const formError = state.error && !fieldError ? state.error : undefined;
  return (
    <form action={formAction} className={`form ${styles.form}`} noValidate data-testid={testId}>
      {field ? (
        <div className="field">
          <label htmlFor={id} className="field-label">
            {label ?? field}
            {required ? <span className="required">*</span> : <span className="small muted">(optional)</span>}
          </label>
          <textarea
            id={id}
            name={field}
            className={styles.text}
            value={text}
            onChange={(event) => setText(event.target.value)}
            placeholder={placeholder}
            maxLength={1000}
            aria-invalid={fieldError ? true : undefined}
          />
          {fieldError ? (
            <span className="field-error" role="alert">
              {fieldError}
            </span>
          ) : null}
        </div>
      ) : null}
      {formError ? (
        <p className="form-error" role="alert">
          {formError}
        </p>
      ) : null}
      <div>
        <button type="submit" className={buttonClass} disabled={pending}>
          {submit}
        </button>
      </div>
    </form>
  );
}

/** A button that opens a confirmation step in a popover (works without JavaScript). */
export function Confirm({
  label,
  buttonClass = "button small",
  align = "left",
  children,
  testId,
}: {
  label: string;
  buttonClass?: string;
  /** Which edge of the button the popover lines up with: "right" near the right edge of the page. */
  align?: "left" | "right";
  children: ReactNode;
  testId?: string;
}) {
  return (
    <details className={align === "right" ? `${styles.confirm} ${styles.alignRight}` : styles.confirm} data-testid={testId}>
      <summary className={buttonClass}>{label}</summary>
      <div className={styles.confirmBody}>{children}</div>
    </details>
  );
}
