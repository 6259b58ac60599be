"use client";

import { useActionState, useState, type FormEvent } from "react";
import type { FormState } from "@/lib/api/errors";
import type { ParameterDefinition } from "@/lib/runbooks/definition";
import { asRunbook, denialReason, type RunbookSubject } from "@/lib/policy/ability";
import { runPossibility } from "@/lib/policy/explain";
import { validateParams, type ParamError } from "@/lib/runbooks/params";
import { useAppAbility } from "../../../components/ability-context";
import { GuardedButton } from "../../../components/guarded-button";

interface Props {
  parameters: ParameterDefinition[];
  runbook: RunbookSubject;
  action: (state: FormState, formData: FormData) => Promise<FormState>;
}

function collect(form: HTMLFormElement, parameters: ParameterDefinition[]): Record<string, unknown> {
  const data = new FormData(form);
  return Object.fromEntries(
    parameters.map((parameter) => [
      parameter.name,
      parameter.type === "boolean" ? (data.get(`param:${parameter.name}`) ? "true" : "false") : (data.get(`param:${parameter.name}`) ?? ""),
    ]),
  );
}

function ParameterInput({ parameter, invalid }: { parameter: ParameterDefinition; invalid: boolean }) {
  const name = `param:${parameter.name}`;
  const common = { id: name, name, "aria-invalid": invalid || undefined };
  const fallback = parameter.default === undefined ? undefined : String(parameter.default);
  switch (parameter.type) {
    case "boolean":
      return (
        <>
          <input type="hidden" name={`boolean:${parameter.name}`} value="1" />
          <input {...common} type="checkbox" defaultChecked={parameter.default === true} />
        </>
      );
    case "enum":
      return (
        <select {...common} defaultValue={fallback ?? ""} required={parameter.required}>
          {parameter.default === undefined ? <option value="">choose…</option> : null}
          {(parameter.allowed ?? []).map((value) => (
            <option key={String(value)} value={String(value)}>
              {String(value)}
            </option>
          ))}
        </select>
      );
    case "integer":
    case "number":
      return (
        <input
          {...common}
          type="number"
          step={parameter.type === "integer" ? 1 : "any"}
          min={parameter.min}
          max={parameter.max}
          defaultValue={fallback}
          required={parameter.required && fallback === undefined}
        />
      );
    case "secret":
      return <input {...common} type="password" autoComplete="off" required={parameter.required} />;
    case "string":
      return (
        <input
          {...common}
          type="text"
          defaultValue={fallback}
          pattern={parameter.pattern}
          required={parameter.required && fallback === undefined}
          spellCheck={false}
        />
      );
  }
}

/** The run form, generated from the typed parameters and checked with the server's own rules before it is sent. */
export function RunForm({ parameters, runbook, action }: Props) {
  const [state, formAction, pending] = useActionState(action, {});
  const [errors, setErrors] = useState<ParamError[]>([]);
  const [policyError, setPolicyError] = useState<string | null>(null);
  const [lastValues, setLastValues] = useState<Record<string, unknown>>({});
  const { ability, role } = useAppAbility();
  const { possible: canRun, constraints } = runPossibility(ability, asRunbook(runbook));
  const runDeniedReason = canRun ? null : denialReason(role, "run", "Runbook", runbook.slug);
  const fieldError = (name: string) =>
    errors.find((error) => error.field === `params.${name}`)?.message ?? (state.field === `params.${name}` ? state.error : undefined);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    const result = validateParams(parameters, collect(event.currentTarget, parameters));
    if (!result.ok) {
      event.preventDefault();
      setErrors(result.errors);
      return;
    }
    setErrors([]);
    setLastValues(result.values);
    if (!ability.can("run", asRunbook(runbook, result.values))) {
      event.preventDefault();
      setPolicyError(
        constraints.length > 0
          ? `Your access does not allow these values: only ${constraints.join("; or ")}.`
          : `Your access does not allow running ${runbook.slug} with these values.`,
      );
      return;
    }
    setPolicyError(null);
  }

  return (
    <form action={formAction} onSubmit={onSubmit} className="form run-form" noValidate>
      {parameters.length === 0 ? <p className="muted">This runbook takes no parameters.</p> : null}
      {parameters.map((parameter) => {
        const error = fieldError(parameter.name);
        return (
          <div key={parameter.name} className={parameter.type === "boolean" ? "field field-inline" : "field"}>
            <label htmlFor={`param:${parameter.name}`} className="field-label">
              {parameter.name}
              {parameter.required ? <span className="required" aria-label="required">*</span> : null}
              <span className="field-type">{parameter.type}</span>
            </label>
            <ParameterInput parameter={parameter} invalid={Boolean(error)} />
            {parameter.description ? <span className="field-help">{parameter.description}</span> : null}
            {error ? <span className="field-error">{error}</span> : null}
          </div>
        );
      })}
      {canRun && constraints.length > 0 ? (
        <p className="constraint">Your access allows this runbook only with {constraints.join("; or ")}.</p>
      ) : null}
      {policyError ? (
        <p className="form-error">
          {policyError}{" "}
          <a href={`/access?action=run&runbook=${encodeURIComponent(runbook.slug)}&params=${encodeURIComponent(JSON.stringify(lastValues))}`}>
            Why?
          </a>
        </p>
      ) : null}
      {state.error && !state.field?.startsWith("params.") ? <p className="form-error">{state.error}</p> : null}
      <div className="form-actions">
        <GuardedButton allowed={canRun} reason={runDeniedReason} disabled={pending}>
          {pending ? "Starting…" : "Run"}
        </GuardedButton>
      </div>
    </form>
  );
}
