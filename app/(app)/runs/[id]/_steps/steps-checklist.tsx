"use client";

import Link from "next/link";
import ReactMarkdown from "react-markdown";
import { statusLabel } from "@/lib/run-statuses";
import type { RunDto } from "@/lib/services/runs/run-dto";
import type { StepDto } from "@/lib/services/runs/steps/step-dto";
import { asSentence, formatRunDuration, formatTime } from "../../../../components/format";
import { describeApprovers } from "@/lib/runbooks/safety";
import { Decisions } from "../_approval/decisions";
import { CompleteStepForm, SkipStepForm, StepDecisionForm } from "./step-actions";
import "./steps.css";

const kindLabels: Record<StepDto["kind"], string> = { command: "command", script: "script", manual: "manual", runbook: "runbook" };
const FINISHED = new Set<StepDto["status"]>(["succeeded", "failed", "skipped", "cancelled", "timed_out", "interrupted", "rejected", "expired"]);

/**
 * The run's steps as a checklist: where it stands, who ticked what and when, each step's outputs,
 * and for the step that waits on a person its instructions and the form to complete it. Shared
 * live: every viewer's page refreshes it when a step changes.
 */
export function StepsChecklist({ run, now, onChanged, onShowOutput }: { run: RunDto; now: number; onChanged: () => Promise<void>; onShowOutput: (seq: number) => void }) {
  const steps = run.steps ?? [];
  const done = steps.filter((step) => FINISHED.has(step.status)).length;
  return (
    <section className="panel steps-panel" aria-label="Steps">
      <h2>
        Steps <span className="small muted">{done} of {steps.length} done</span>
      </h2>
      <ol className="step-list">
        {steps.map((step, index) => (
          <StepItem key={step.id} run={run} step={step} number={index + 1} now={now} onChanged={onChanged} onShowOutput={onShowOutput} />
        ))}
      </ol>
    </section>
  );
}

function StepItem({ run, step, number, now, onChanged, onShowOutput }: { run: RunDto; step: StepDto; number: number; now: number; onChanged: () => Promise<void>; onShowOutput: (seq: number) => void }) {
  const current = step.status === "running" || step.status === "waiting";
  return (
    <li className={`step step-${step.status}${current ? " step-current" : ""}`} data-testid={`step-${step.id}`} aria-current={current ? "step" : undefined}>
      <div className="step-head">
        <span className="step-number" aria-hidden="true">
          {step.status === "succeeded" ? "✓" : number}
        </span>
        <span className="step-title">{step.title}</span>
        <span className={`badge status-${step.status}`}>{statusLabel(step.status)}</span>
        <span className="step-kind small muted">{kindLabels[step.kind]}</span>
        {step.attempts > 1 ? <span className="small muted">{step.attempts} attempts</span> : null}
        <span className="spacer" />
        {step.startedAt && step.kind !== "manual" ? <span className="small muted">{formatRunDuration(step.startedAt, step.finishedAt, now)}</span> : null}
        {step.lines ? (
          <button type="button" className="button ghost small" onClick={() => onShowOutput(step.lines?.first ?? 1)} title={`output lines ${step.lines.first}–${step.lines.last ?? "…"}`}>
            Output
          </button>
        ) : null}
        {step.canSkip ? <SkipStepForm runId={run.id} step={step} onDone={onChanged} /> : null}
      </div>
      <StepFacts step={step} />
      {step.manual && (step.status === "waiting" || step.status === "pending") ? (
        <div className={`step-instructions${step.status === "pending" ? " muted" : ""}`}>
          <ReactMarkdown>{step.manual.instructions}</ReactMarkdown>
        </div>
      ) : null}
      {step.runbook ? (
        <p className="step-facts small" data-testid={`step-runbook-${step.id}`}>
          Runbook <Link href={`/runbooks/${step.runbook.slug}`}>{step.runbook.slug}</Link>, requested as the person who requested this run
          {step.runbook.run ? (
            <>
              : <Link href={`/runs/${step.runbook.run.id}`}>run #{step.runbook.run.id}</Link> <span className={`badge status-${step.runbook.run.status}`}>{statusLabel(step.runbook.run.status)}</span>
            </>
          ) : null}
        </p>
      ) : null}
      {step.approval ? <StepApproval runId={run.id} step={step} onChanged={onChanged} /> : null}
      {step.canComplete ? (
        <CompleteStepForm runId={run.id} step={step} onDone={onChanged} />
      ) : step.status === "waiting" && step.manual ? (
        <p className="small muted">Waiting for someone who may run this runbook to complete this step.</p>
      ) : null}
    </li>
  );
}

/** A step's `approval:`: who must approve it, who did, and (while it waits) the decision itself. */
function StepApproval({ runId, step, onChanged }: { runId: number; step: StepDto; onChanged: () => Promise<void> }) {
  const approval = step.approval;
  if (!approval) return null;
  const approvals = approval.decisions.filter((decision) => decision.decision === "approved").length;
  const who = describeApprovers(approval.approvers) ?? "anyone allowed to approve runs";
  const waiting = step.status === "waiting" && !approval.approvedAt;
  return (
    <div className={`step-approval${waiting ? " step-approval-waiting" : ""}`} data-testid={`step-approval-${step.id}`}>
      <p className="small">
        {waiting ? <strong>Waits for approval: </strong> : approval.approvedAt ? <strong>Approved: </strong> : <span className="muted">Needs approval before it runs: </span>}
        {approvals} of {approval.required} from {who}
        {waiting && approval.expiresAt ? <span className="muted"> · expires {formatTime(approval.expiresAt)}</span> : null}
      </p>
      {approval.decisions.length > 0 ? <Decisions decisions={approval.decisions} /> : null}
      {waiting ? (
        step.canApprove ? (
          <StepDecisionForm runId={runId} step={step} onDone={onChanged} />
        ) : step.approvalRefusal ? (
          <p className="notice small" data-testid="step-approval-refusal">
            {asSentence(step.approvalRefusal)}
          </p>
        ) : null
      ) : null}
    </div>
  );
}

function StepFacts({ step }: { step: StepDto }) {
  const outputs = Object.entries(step.outputs);
  const byLine = step.by ? (
    <>
      {step.status === "skipped" ? "Skipped" : "Completed"} by {step.by.name} <span className="muted">({step.by.email})</span>
      {step.finishedAt ? <> at {formatTime(step.finishedAt)}</> : null}
    </>
  ) : null;
  if (!byLine && !step.note && outputs.length === 0 && !step.when && !step.message) return null;
  return (
    <div className="step-facts small">
      {step.when ? (
        <p className="muted">
          when <code>{step.when}</code>
        </p>
      ) : null}
      {byLine ? <p>{byLine}</p> : step.message && step.status !== "succeeded" ? <p className="muted">{step.message}</p> : null}
      {step.note ? <blockquote className="step-note">{step.note}</blockquote> : null}
      {outputs.length > 0 ? (
        <p className="step-outputs" aria-label="Outputs">
          {outputs.map(([key, value]) => (
            <code key={key} title={value}>
              {key}={value.length > 80 ? `${value.slice(0, 80)}…` : value}
            </code>
          ))}
        </p>
      ) : null}
    </div>
  );
}
