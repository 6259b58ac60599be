"use client";

import { useRouter } from "next/navigation";
import { useActionState, useEffect, type ReactNode } from "react";
import type { ActionState } from "@/lib/api/form-actions";

/** Client-side: what was typed (passwords excepted), so a refused form keeps its input. */
type Shown = ActionState & { values?: Record<string, string>; attempt?: number };

export interface FieldSpec {
  name: string;
  label?: string;
  type: "text" | "email" | "password" | "select" | "hidden";
  options?: string[];
  defaultValue?: string;
  placeholder?: string;
  help?: string;
}

interface Props {
  action: (state: ActionState, formData: FormData) => Promise<ActionState>;
  fields: FieldSpec[];
  submit: string;
  /** "stack": a labelled form in a panel; "inline": one compact row, e.g. inside a table cell. */
  layout?: "stack" | "inline";
  buttonClass?: string;
  testId?: string;
  /** Inline layout: shown before the controls, e.g. the member a Remove button is for. */
  label?: ReactNode;
}

function Input({ field, invalid, id, value }: { field: FieldSpec; invalid: boolean; id?: string; value?: string | undefined }) {
  const common = { id, name: field.name, "aria-invalid": invalid || undefined, "aria-label": field.label };
  if (field.type === "select") {
    return (
      <select {...common} defaultValue={value ?? field.defaultValue ?? ""}>
        {field.defaultValue === undefined ? <option value="">choose…</option> : null}
        {(field.options ?? []).map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    );
  }
  return (
    <input
      {...common}
      type={field.type}
      defaultValue={field.type === "password" ? undefined : (value ?? field.defaultValue)}
      placeholder={field.placeholder}
      autoComplete={field.type === "password" ? "new-password" : "off"}
      spellCheck={false}
    />
  );
}

/** A small form bound to one server action; a refusal or bad input is shown next to the field it names. */
export function ActionForm({ action, fields, submit, layout = "stack", buttonClass, testId, label }: Props) {
  const [state, formAction, pending] = useActionState(async (previous: Shown, formData: FormData): Promise<Shown> => {
    const result = await action(previous, formData);
    const attempt = (previous.attempt ?? 0) + 1;
    if (!result.error) return { ...result, attempt };
    const values = Object.fromEntries(
      [...formData.entries()].filter((entry): entry is [string, string] => typeof entry[1] === "string" && !entry[0].startsWith("$") && fields.some((field) => field.name === entry[0] && field.type !== "password")),
    );
    return { ...result, values, attempt };
  }, {});
  const router = useRouter();
  // A change succeeded: re-render the page's server components so tables show it (this form keeps its message).
  useEffect(() => {
    if (state.attempt && !state.error) router.refresh();
  }, [state, router]);
  const visible = fields.filter((field) => field.type !== "hidden");
  const fieldNames = new Set(visible.map((field) => field.name));
  const formError = state.error && !(state.field && fieldNames.has(state.field)) ? state.error : undefined;
  const hidden = fields
    .filter((field) => field.type === "hidden")
    .map((field) => <input key={field.name} type="hidden" name={field.name} value={field.defaultValue ?? ""} />);

  if (layout === "inline") {
    return (
      <form key={state.attempt} action={formAction} className="field field-inline" noValidate data-testid={testId}>
        {hidden}
        {label}
        {visible.map((field) => (
          <Input key={field.name} field={field} invalid={state.field === field.name} value={state.values?.[field.name]} />
        ))}
        <button type="submit" className={buttonClass ?? "button small"} disabled={pending}>
          {submit}
        </button>
        {state.error ? (
          <span className="field-error" role="alert">
            {state.error}
          </span>
        ) : null}
      </form>
    );
  }

  return (
    <form key={state.attempt} action={formAction} className="form" noValidate data-testid={testId}>
      {hidden}
      {visible.map((field) => {
        const error = state.field === field.name ? state.error : undefined;
        return (
          <div key={field.name} className="field">
            <label htmlFor={`${testId ?? "form"}-${field.name}`} className="field-label">
              {field.label ?? field.name}
            </label>
            <Input field={field} invalid={Boolean(error)} id={`${testId ?? "form"}-${field.name}`} value={state.values?.[field.name]} />
            {field.help ? <span className="field-help">{field.help}</span> : null}
            {error ? (
              <span className="field-error" role="alert">
                {error}
              </span>
            ) : null}
          </div>
        );
      })}
      {formError ? (
        <p className="form-error" role="alert">
          {formError}
        </p>
      ) : null}
      {state.message && !state.error ? (
        <p className="notice" role="status">
          {state.message}
        </p>
      ) : null}
      {state.secret && !state.error ? <pre className="code" data-testid="secret">{state.secret}</pre> : null}
      <div className="form-actions">
        <button type="submit" className={buttonClass ?? "button primary"} disabled={pending}>
          {submit}
        </button>
      </div>
    </form>
  );
}
