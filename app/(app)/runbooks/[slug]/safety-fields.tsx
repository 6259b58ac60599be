"use client";

import { riskLevels, riskRank, type Risk } from "@/lib/runbooks/definition";
import type { SafetyRequirements } from "@/lib/runbooks/safety";
import styles from "./run-form.module.css";

type FieldError = (name: string) => string | undefined;

function ErrorText({ message }: { message: string | undefined }) {
  return message ? (
    <span className="field-error" role="alert">
      {message}
    </span>
  ) : null;
}

/** Risk can only be raised: the select offers the runbook's own level and those above it. */
export function RiskSelect({ runbookRisk, value, onChange, error }: { runbookRisk: Risk; value: Risk; onChange: (risk: Risk) => void; error: FieldError }) {
  const levels = riskLevels.filter((level) => riskRank(level) >= riskRank(runbookRisk));
  if (levels.length < 2) return <input type="hidden" name="risk" value={runbookRisk} />;
  return (
    <div className="field">
      <label htmlFor="run-risk" className="field-label">
        Raise risk
      </label>
      <select id="run-risk" name="risk" value={value} onChange={(event) => onChange(event.target.value as Risk)} aria-invalid={error("risk") ? true : undefined}>
        {levels.map((level) => (
          <option key={level} value={level}>
            {level === runbookRisk ? `${level} (the runbook's own)` : level}
          </option>
        ))}
      </select>
      <span className="field-help">Mark this run riskier than its runbook when you know more than it does; it can never be marked lower.</span>
      <ErrorText message={error("risk")} />
    </div>
  );
}

/** Reason and ticket (one of them is required from medium risk up) and, for high risk only, the typed confirmation. */
export function SafetyFields({ requirements, error, prefill }: { requirements: SafetyRequirements; error: FieldError; prefill: { reason?: string; ticket?: string } }) {
  const { confirmation } = requirements;
  return (
    <>
      {requirements.reasonRequired ? (
        <fieldset className={styles.why}>
          <legend className="field-label">
            Why now<span className="required">*</span>
            <span className="small muted">a reason, a ticket, or both ({requirements.risk} risk)</span>
          </legend>
          <div className="field">
            <label htmlFor="run-reason" className="field-label">
              Reason
            </label>
            <input id="run-reason" name="reason" type="text" defaultValue={prefill.reason} maxLength={1000} placeholder="e.g. api pods leak memory after the 14:00 deploy" aria-invalid={error("reason") ? true : undefined} />
            <ErrorText message={error("reason")} />
          </div>
          <div className="field">
            <label htmlFor="run-ticket" className="field-label">
              Ticket
            </label>
            <input id="run-ticket" name="ticket" type="text" defaultValue={prefill.ticket} spellCheck={false} placeholder="incident or change id, e.g. INC-1234" aria-invalid={error("ticket") ? true : undefined} />
            <ErrorText message={error("ticket")} />
          </div>
        </fieldset>
      ) : null}
      {confirmation ? (
        <div className={`field ${styles.confirm}`}>
          <label htmlFor="run-confirm" className="field-label">
            Type <span className="mono">{confirmation.expected || "…"}</span> to confirm
          </label>
          <input id="run-confirm" name="confirm" type="text" autoComplete="off" spellCheck={false} aria-invalid={error("confirm") ? true : undefined} />
          <span className="field-help">High risk: type {confirmation.label} exactly. Dry runs need no confirmation.</span>
          <ErrorText message={error("confirm")} />
        </div>
      ) : null}
    </>
  );
}

/** The emergency path: loud on purpose, closed by default, and only offered when approval would be needed. */
export function BreakGlass({ error, disabled }: { error: FieldError; disabled: boolean }) {
  const open = Boolean(error("breakGlass.justification") || error("breakGlass.incident") || error("breakGlass"));
  return (
    <details className={styles.breakGlass} open={open || undefined} data-testid="break-glass">
      <summary>Break glass: run now without approval…</summary>
      <div className={styles.breakGlassBody}>
        <p className="small">
          For an emergency only. The run starts at once, is flagged in red on its page and in the audit log, and waits in the break-glass review queue until
          another operator acknowledges it.
        </p>
        <div className="field">
          <label htmlFor="bg-justification" className="field-label">
            Justification<span className="required">*</span>
          </label>
          <textarea id="bg-justification" name="justification" rows={3} maxLength={2000} aria-invalid={error("breakGlass.justification") ? true : undefined} />
          <ErrorText message={error("breakGlass.justification")} />
        </div>
        <div className="field">
          <label htmlFor="bg-incident" className="field-label">
            Incident id<span className="required">*</span>
          </label>
          <input id="bg-incident" name="incident" type="text" spellCheck={false} placeholder="e.g. INC-1234" aria-invalid={error("breakGlass.incident") ? true : undefined} />
          <ErrorText message={error("breakGlass.incident") ?? error("breakGlass")} />
        </div>
        <div>
          <button type="submit" name="intent" value="break-glass" className={`button ${styles.glassButton}`} disabled={disabled}>
            Break glass and run now
          </button>
        </div>
      </div>
    </details>
  );
}
