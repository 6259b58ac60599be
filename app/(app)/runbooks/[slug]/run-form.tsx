"use client";

import { useActionState, useState, type FormEvent } from "react";
import type { FormState } from "@/lib/api/errors";
import { approvalsRequiredBy, type ParameterDefinition, type Risk, type RunbookDefinition } from "@/lib/runbooks/definition";
import { safetyRequirements, type SafetyError } from "@/lib/runbooks/safety";
import { asRunbook, denialReason, type AppRule, type RunbookSubject } from "@/lib/policy/ability";
import { runPossibility } from "@/lib/policy/explain";
import { validateParams, type ParamError } from "@/lib/runbooks/params";
import { useAppAbility } from "../../../components/ability-context";
import { GuardedButton } from "../../../components/guarded-button";
import { approvalNote, checkRunFormSafety, dryRunFirst, parameterHint, policyApprovalFor } from "./run-form-model";
import type { RunPrefill } from "./prefill";
import { intentOf, type RunIntent } from "./run-request";
import { BreakGlass, RiskSelect, SafetyFields } from "./safety-fields";
import styles from "./run-form.module.css";

/** What the form needs to show the server's safety rules, computed on the server for this user. */
export interface RunSafety {
  definition: Pick<RunbookDefinition, "slug" | "risk" | "approval" | "confirm" | "dryRun">;
  /** This user's `run` rules: the form judges with them, as the server will, whether the values need an approval. */
  runRules: AppRule[];
  canBreakGlass: boolean;
  /** Who may approve, in words, or null for anyone the policies allow. */
  approvers: string | null;
}

interface Props {
  parameters: ParameterDefinition[];
  runbook: RunbookSubject;
  /** Absent (the editor's preview): the runbook's risk alone decides. */
  safety?: RunSafety;
  prefill?: RunPrefill;
  action: (state: FormState, formData: FormData) => Promise<FormState>;
}

const SAFETY_FIELDS = ["risk", "reason", "ticket", "confirm", "breakGlass", "breakGlass.justification", "breakGlass.incident"];

function collect(form: HTMLFormElement, parameters: ParameterDefinition[]): Record<string, string> {
  const data = new FormData(form);
  return Object.fromEntries(
    parameters.map((parameter) => {
      const value = data.get(`param:${parameter.name}`);
      return [parameter.name, parameter.type === "boolean" ? (value ? "true" : "false") : typeof value === "string" ? value : ""];
    }),
  );
}

function startingValues(parameters: ParameterDefinition[], prefill: RunPrefill): Record<string, string> {
  return Object.fromEntries(parameters.map((parameter) => [parameter.name, prefill.params[parameter.name] ?? (parameter.default === undefined ? "" : String(parameter.default))]));
}

function text(form: HTMLFormElement, name: string): string {
  const value = new FormData(form).get(name);
  return typeof value === "string" ? value : "";
}

function ParameterInput({ parameter, invalid, initial }: { parameter: ParameterDefinition; invalid: boolean; initial: string | undefined }) {
  const name = `param:${parameter.name}`;
  const common = { id: name, name, "aria-invalid": invalid || undefined };
  const fallback = initial ?? (parameter.default === undefined ? undefined : String(parameter.default));
  switch (parameter.type) {
    case "boolean":
      return (
        <>
          <input type="hidden" name={`boolean:${parameter.name}`} value="1" />
          <input {...common} type="checkbox" defaultChecked={initial === undefined ? parameter.default === true : initial === "true"} />
        </>
      );
    case "enum":
      return (
        <select {...common} defaultValue={fallback ?? ""} required={parameter.required}>
          {fallback === undefined ? <option value="">choose…</option> : null}
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

/**
 * The run form, generated from the typed parameters and checked with the server's own rules
 * (parameters, policy, and the safety rules: risk, reason, confirmation, approval) before it is sent.
 */
const NO_PREFILL: RunPrefill = { params: {} };

export function RunForm({ parameters, runbook, safety: given, prefill = NO_PREFILL, action }: Props) {
  const safety = given ?? { definition: { slug: runbook.slug, risk: runbook.risk }, runRules: [], canBreakGlass: false, approvers: null };
  const [state, formAction, pending] = useActionState(action, {});
  const [errors, setErrors] = useState<ParamError[]>([]);
  const [safetyErrors, setSafetyErrors] = useState<SafetyError[] | null>(null);
  const [policyError, setPolicyError] = useState<string | null>(null);
  const [lastValues, setLastValues] = useState<Record<string, unknown>>({});
  const [values, setValues] = useState(() => startingValues(parameters, prefill));
  const [risk, setRisk] = useState<Risk>(runbook.risk);
  const { ability, role } = useAppAbility();
  const { possible: canRun, constraints } = runPossibility(ability, asRunbook(runbook));
  const runDeniedReason = canRun ? null : denialReason(role, "run", "Runbook", runbook.slug);
  const { definition } = safety;
  // The Dry run button sets the dry-run parameter; a checkbox beside it would only invite mistakes.
  const shown = parameters.filter((parameter) => parameter.name !== definition.dryRun?.parameter);
  const policyApproval = policyApprovalFor(safety.runRules, runbook, parameters, values);
  const requirements = safetyRequirements({ definition, values, requestedRisk: risk, policyRequiresApproval: policyApproval, dryRun: false });
  const needsApproval = requirements.approvalsRequired > 0;
  const dryFirst = dryRunFirst(Boolean(definition.dryRun), runbook.risk);

  const serverError = (name: string) => (state.field === name ? state.error : undefined);
  const paramError = (name: string) => errors.find((error) => error.field === `params.${name}`)?.message ?? serverError(`params.${name}`);
  const safetyFieldError = (name: string) => (safetyErrors ? safetyErrors.find((error) => error.field === name)?.message : serverError(name));
  const formError = state.error && !state.field?.startsWith("params.") && !SAFETY_FIELDS.includes(state.field ?? "") ? state.error : undefined;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    const form = event.currentTarget;
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    const data = new FormData();
    if (submitter instanceof HTMLButtonElement && submitter.name) data.set(submitter.name, submitter.value);
    const intent: RunIntent = intentOf(data);
    // Every problem at once: the parameters and the safety fields are judged together.
    const result = validateParams(shown, collect(form, shown));
    const problems = checkRunFormSafety(intent, requirements, runbook.risk, {
      risk,
      reason: text(form, "reason"),
      ticket: text(form, "ticket"),
      confirm: text(form, "confirm"),
      justification: text(form, "justification"),
      incident: text(form, "incident"),
    });
    setErrors(result.ok ? [] : result.errors);
    setSafetyErrors(problems);
    const refusedByPolicy = result.ok && !ability.can("run", asRunbook(runbook, result.values));
    if (result.ok) setLastValues(result.values);
    setPolicyError(
      !refusedByPolicy
        ? null
        : constraints.length > 0
          ? `Your access does not allow these values: only ${constraints.join("; or ")}.`
          : `Your access does not allow running ${runbook.slug} with these values.`,
    );
    if (!result.ok || refusedByPolicy || problems.length > 0) event.preventDefault();
  }

  return (
    <form
      action={formAction}
      onSubmit={onSubmit}
      onChange={(event) => setValues(collect(event.currentTarget, parameters))}
      className="form run-form"
      noValidate
    >
      {shown.length === 0 ? <p className="muted">This runbook takes no parameters.</p> : null}
      {shown.map((parameter) => {
        const error = paramError(parameter.name);
        return (
          <div key={parameter.name} className={parameter.type === "boolean" ? "field field-inline" : "field"}>
            <label htmlFor={`param:${parameter.name}`} className="field-label">
              {parameter.name}
              {parameter.required ? <span className="required" aria-label="required">*</span> : null}
              <span className="field-type">{parameter.type}</span>
            </label>
            <ParameterInput parameter={parameter} invalid={Boolean(error)} initial={parameter.type === "secret" ? undefined : prefill.params[parameter.name]} />
            {parameter.description ? <span className="field-help">{parameter.description}</span> : null}
            {parameterHint(parameter) ? <span className="field-help field-hint">{parameterHint(parameter)}</span> : null}
            {error ? <span className="field-error">{error}</span> : null}
          </div>
        );
      })}
      {canRun && constraints.length > 0 ? (
        <p className="constraint">Your access allows this runbook only with {constraints.join("; or ")}.</p>
      ) : null}
      {canRun ? (
        <div className={styles.safety}>
          <RiskSelect runbookRisk={runbook.risk} value={risk} onChange={setRisk} error={safetyFieldError} />
          <SafetyFields requirements={requirements} error={safetyFieldError} prefill={prefill} />
        </div>
      ) : null}
      {policyError ? (
        <p className="form-error">
          {policyError}{" "}
          <a href={`/access?action=run&runbook=${encodeURIComponent(runbook.slug)}&params=${encodeURIComponent(JSON.stringify(lastValues))}`}>
            Why?
          </a>
        </p>
      ) : null}
      {formError ? (
        <p className="form-error" role="alert">
          {formError}
        </p>
      ) : null}
      <div className="form-actions">
        {canRun ? (
          <div className={styles.buttons}>
            {dryFirst ? (
              <button type="submit" name="intent" value="dry-run" className="button primary" disabled={pending}>
                Dry run
              </button>
            ) : null}
            <button type="submit" name="intent" value="run" className={dryFirst ? "button" : "button primary"} disabled={pending}>
              {needsApproval ? "Request approval" : "Run"}
            </button>
            {definition.dryRun && !dryFirst ? (
              <button type="submit" name="intent" value="dry-run" className="button" disabled={pending}>
                Dry run
              </button>
            ) : null}
            {pending ? <span className="small muted">Sending…</span> : null}
          </div>
        ) : (
          <GuardedButton allowed={false} reason={runDeniedReason}>
            Run
          </GuardedButton>
        )}
        {canRun && dryFirst ? (
          <p className="small muted">
            Try a dry run first: it changes nothing{needsApproval ? ", and its output is shown to whoever approves the real run" : ""}.
          </p>
        ) : null}
        {canRun && needsApproval ? (
          <p className={styles.approvalNote} data-testid="approval-note">
            {approvalNote(requirements.approvalsRequired, safety.approvers, requirements.raisedFrom, policyApproval && approvalsRequiredBy(definition) === 0)}
          </p>
        ) : null}
      </div>
      {canRun && safety.canBreakGlass && needsApproval ? <BreakGlass error={safetyFieldError} disabled={pending} /> : null}
    </form>
  );
}
