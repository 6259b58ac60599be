"use client";

import { useRouter } from "next/navigation";
import { useActionState, useEffect, type ReactNode } from "react";
import type { ActionState } from "@/lib/api/form-actions";
import { CopyButton } from "../../../components/copy-button";

/** Client-side: what was typed (passwords excepted), so a refused form keeps its input. */
type Shown = ActionState & { values?: Record<string, string>; attempt?: number };

export interface FieldSpec {
  name: string;
  label?: string;
  type: "text" | "email" | "password" | "select" | "hidden" | "checkboxes";
  options?: string[];
  /** For a select: what each option shows, when not the option itself. */
  optionLabels?: Record<string, string>;
  /** For checkboxes: a short explanation shown beside each option. */
  optionHelp?: Record<string, string>;
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
  /** Inline layout: say what a success did (a stacked form always does; inline ones usually show it in the page). */
  showSuccess?: boolean;
}

function Input({ field, invalid, id, value }: { field: FieldSpec; invalid: boolean; id?: string; value?: string | undefined }) {
  const common = { id, name: field.name, "aria-invalid": invalid || undefined, "aria-label": field.label };
  if (field.type === "checkboxes") {
    const checked = new Set((value ?? field.defaultValue ?? "").split(",").filter(Boolean));
    return (
      <span className="checkbox-list" id={id}>
        {(field.options ?? []).map((option) => (
          <label key={option} className="checkbox">
            <input type="checkbox" name={field.name} value={option} defaultChecked={checked.has(option)} />
            <span className="mono">{option}</span>
            {field.optionHelp?.[option] ? <span className="muted small">{field.optionHelp[option]}</span> : null}
          </label>
        ))}
      </span>
    );
  }
  if (field.type === "select") {
    return (
      <select {...common} defaultValue={value ?? field.defaultValue ?? ""}>
        {field.defaultValue === undefined ? <option value="">choose…</option> : null}
        {(field.options ?? []).map((option) => (
          <option key={option} value={option}>
            {field.optionLabels?.[option] ?? option}
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
export function ActionForm({ action, fields, submit, layout = "stack", buttonClass, testId, label, showSuccess = false }: Props) {
  const [state, formAction, pending] = useActionState(async (previous: Shown, formData: FormData): Promise<Shown> => {
    const result = await action(previous, formData);
    const attempt = (previous.attempt ?? 0) + 1;
    if (!result.error) return { ...result, attempt };
    const values: Record<string, string> = {};
    for (const field of fields) {
      if (field.type === "password" || field.type === "hidden") continue;
      const entered = formData.getAll(field.name).filter((entry): entry is string => typeof entry === "string");
      if (entered.length > 0 || field.type === "checkboxes") values[field.name] = entered.join(",");
    }
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
        {showSuccess && state.message && !state.error ? (
          <span className="muted small" role="status">
            {state.message}
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
      {state.secret && !state.error ? (
        <div className="secret-once">
          <pre className="code" data-testid="secret" id={`${testId ?? "form"}-secret`}>
            {state.secret}
          </pre>
          <CopyButton value={state.secret} targetId={`${testId ?? "form"}-secret`} />
        </div>
      ) : null}
      <div className="form-actions">
        <button type="submit" className={buttonClass ?? "button primary"} disabled={pending}>
          {submit}
        </button>
      </div>
    </form>
  );
}
