"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import type { RunDto } from "@/lib/services/runs/run-dto";
import { postJson } from "../post-json";

const DONE = new Set(["succeeded", "skipped"]);

/** Where a stopped run of steps stands: the last step it reached, unless that one is done. */
function stoppedAt(steps: NonNullable<RunDto["steps"]>): number {
  const reached = steps.map((step, index) => ({ step, index })).filter(({ step }) => step.status !== "pending").at(-1);
  if (!reached) return 0;
  return DONE.has(reached.step.status) ? reached.index + 1 : reached.index;
}

/** A new attempt at a stopped run of steps, from the step that stopped or a later one (with a reason). */
export function ResumeForm({ run }: { run: RunDto }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const steps = run.steps ?? [];
  const stopped = stoppedAt(steps);
  if (!open) {
    return (
      <button type="button" className="button" onClick={() => setOpen(true)}>
        Resume…
      </button>
    );
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const body: Record<string, unknown> = { fromStep: String(data.get("fromStep")) };
    for (const name of ["reason", "ticket", "confirm"]) {
      const value = String(data.get(name) ?? "").trim();
      if (value) body[name] = value;
    }
    setBusy(true);
    const answer = await postJson<{ id: number }>(`/api/v1/runs/${run.id}/resume`, body);
    setBusy(false);
    if (answer.ok) router.push(`/runs/${answer.data.id}`);
    else setError(answer.error);
  }

  return (
    <form className="resume-form" onSubmit={(event) => void submit(event)} aria-label="Resume the run">
      <label className="field">
        <span className="field-label">Resume from</span>
        <select name="fromStep" defaultValue={steps[stopped]?.id}>
          {steps.slice(stopped).map((step) => (
            <option key={step.id} value={step.id}>
              {step.title}
              {step.id === steps[stopped]?.id ? " (where it stopped)" : ""}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span className="field-label">Reason</span>
        <input name="reason" maxLength={1000} placeholder="Needed to go on past a step that did not succeed" />
      </label>
      {run.risk === "high" ? (
        <>
          <label className="field">
            <span className="field-label">Ticket</span>
            <input name="ticket" maxLength={64} placeholder="INC-1234" />
          </label>
          <label className="field">
            <span className="field-label">Confirm</span>
            <input name="confirm" maxLength={300} placeholder={`type ${run.runbook.slug}`} />
          </label>
        </>
      ) : null}
      {error ? <p className="form-error">{error}</p> : null}
      <p className="toolbar">
        <button type="submit" className="button primary" disabled={busy}>
          Resume as a new run
        </button>
        <button type="button" className="button ghost" onClick={() => setOpen(false)}>
          Never mind
        </button>
      </p>
    </form>
  );
}
