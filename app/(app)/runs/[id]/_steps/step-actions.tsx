"use client";

import { useState, type FormEvent } from "react";
import type { StepDto } from "@/lib/services/runs/steps/step-dto";
import { postJson } from "../post-json";

async function post(url: string, body: Record<string, unknown>): Promise<string | null> {
  const answer = await postJson(url, body);
  return answer.ok ? null : answer.error;
}

/** Ticks the manual step the run waits on: a note (required when the step says so) and the value it asks for. */
export function CompleteStepForm({ runId, step, onDone }: { runId: number; step: StepDto; onDone: () => Promise<void> }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const value = step.manual?.value ?? null;
  const noteRequired = step.manual?.note === "required";

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const note = String(data.get("note") ?? "").trim();
    const typed = data.get("value");
    const body: Record<string, unknown> = note ? { note } : {};
    if (value) body.value = value.type === "boolean" ? typed === "on" : String(typed ?? "");
    setBusy(true);
    setError(await post(`/api/v1/runs/${runId}/steps/${step.id}/complete`, body));
    setBusy(false);
    await onDone();
  }

  return (
    <form className="step-form" onSubmit={(event) => void submit(event)} aria-label={`Complete step ${step.title}`}>
      {value ? (
        <label className="field">
          <span className="field-label">
            {value.name} <span className="field-type">{value.type}</span>
          </span>
          {value.type === "boolean" ? (
            <input type="checkbox" name="value" />
          ) : value.type === "enum" ? (
            <select name="value" required={value.required}>
              {(value.allowed ?? []).map((option) => (
                <option key={String(option)}>{String(option)}</option>
              ))}
            </select>
          ) : (
            <input name="value" required={value.required} maxLength={4096} pattern={value.pattern} className="mono" />
          )}
          {value.description ? <span className="field-help">{value.description}</span> : null}
          {value.pattern ? <span className="field-help">must match {value.pattern}</span> : null}
        </label>
      ) : null}
      <label className="field">
        <span className="field-label">Note{noteRequired ? "" : " (optional)"}</span>
        <textarea name="note" rows={2} maxLength={2000} required={noteRequired} placeholder="What you did or saw" />
      </label>
      {error ? <p className="form-error">{error}</p> : null}
      <p className="toolbar">
        <button type="submit" className="button primary" disabled={busy}>
          Mark done
        </button>
      </p>
    </form>
  );
}

/** Skips a step that has not run, saying why; behind a toggle, since it is the exception. */
export function SkipStepForm({ runId, step, onDone }: { runId: number; step: StepDto; onDone: () => Promise<void> }) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!open) {
    return (
      <button type="button" className="button ghost small" onClick={() => setOpen(true)}>
        Skip…
      </button>
    );
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const reason = String(new FormData(event.currentTarget).get("reason") ?? "").trim();
    setBusy(true);
    const problem = await post(`/api/v1/runs/${runId}/steps/${step.id}/skip`, { reason });
    setBusy(false);
    setError(problem);
    if (!problem) setOpen(false);
    await onDone();
  }

  return (
    <form className="step-form step-skip" onSubmit={(event) => void submit(event)} aria-label={`Skip step ${step.title}`}>
      <label className="field">
        <span className="field-label">Why skip it?</span>
        <input name="reason" required minLength={3} maxLength={2000} placeholder="The reason goes into the audit log" />
      </label>
      {error ? <p className="form-error">{error}</p> : null}
      <p className="toolbar">
        <button type="submit" className="button danger" disabled={busy}>
          Skip step
        </button>
        <button type="button" className="button ghost" onClick={() => setOpen(false)}>
          Keep it
        </button>
      </p>
    </form>
  );
}

/** Approve (comment optional) or reject (comment required) the step the run waits on; the server applies the four-eyes rule again. */
export function StepDecisionForm({ runId, step, onDone }: { runId: number; step: StepDto; onDone: () => Promise<void> }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function decide(form: HTMLFormElement, decision: "approve" | "reject") {
    const comment = String(new FormData(form).get("comment") ?? "").trim();
    if (decision === "reject" && comment.length < 3) {
      setError("say why you reject it (at least 3 characters)");
      return;
    }
    setBusy(true);
    setError(await post(`/api/v1/runs/${runId}/steps/${step.id}/${decision}`, { comment }));
    setBusy(false);
    await onDone();
  }

  return (
    <form
      className="step-form"
      aria-label={`Decide on step ${step.title}`}
      onSubmit={(event) => {
        event.preventDefault();
        void decide(event.currentTarget, "approve");
      }}
    >
      <label className="field">
        <span className="field-label">Comment (required to reject)</span>
        <input name="comment" maxLength={2000} placeholder="e.g. replica lag is zero, go ahead" />
      </label>
      {error ? <p className="form-error">{error}</p> : null}
      <p className="toolbar">
        <button type="submit" className="button primary" disabled={busy} data-testid="approve-step">
          Approve step
        </button>
        <button type="button" className="button danger" disabled={busy} onClick={(event) => void decide(event.currentTarget.form as HTMLFormElement, "reject")}>
          Reject
        </button>
      </p>
    </form>
  );
}
