"use client";

import { startTransition, useActionState, useState } from "react";
import type { EditorAction, EditorActionState } from "./action-state";
import styles from "./editor.module.css";

interface Props {
  kind: "create" | "edit" | "propose";
  yaml: string;
  /** Why saving would fail as the draft stands; null when it is valid. */
  blocked: string | null;
  /** The safety nets this edit loosens: saving then sends it to another editor for review. */
  loosens: string[];
  action: EditorAction;
}

const LABELS = {
  create: { idle: "Create runbook", busy: "Creating…" },
  edit: { idle: "Save new version", busy: "Saving…" },
  propose: { idle: "Submit proposal", busy: "Submitting…" },
};

function ServerError({ state, kind }: { state: EditorActionState; kind: Props["kind"] }) {
  if (!state.error) return null;
  const heading = state.status === 409 ? "Conflict" : state.status === 403 ? "Not allowed" : state.status === 400 ? "Not valid" : "Not saved";
  return (
    <div className={`notice notice-denied ${styles.serverError}`} role="alert">
      <strong>{heading}:</strong> {state.error}
      {state.status === 409 && kind === "edit" ? (
        <div className="small">Your draft is still here. Copy it from the YAML tab, reload the page, and apply your change to the newer version.</div>
      ) : null}
    </div>
  );
}

/** The commit: a message saying what changed and why, and the one button that sends the YAML. */
export function SaveBar({ kind, yaml, blocked, loosens, action }: Props) {
  const forReview = kind === "edit" && loosens.length > 0;
  const [state, dispatch, pending] = useActionState(action, {});
  const [message, setMessage] = useState("");
  const [missing, setMissing] = useState(false);
  const submit = () => {
    if (message.trim() === "") {
      setMissing(true);
      return;
    }
    const data = new FormData();
    data.set("yaml", yaml);
    data.set("message", message);
    startTransition(() => dispatch(data));
  };
  return (
    <section className={`panel ${styles.saveBar}`} aria-label="Save">
      <div className={styles.saveRow}>
        <label className={`field ${styles.messageField}`}>
          <span className="field-label">{kind === "propose" ? "What this proposes and why" : "What changed and why"}</span>
          <input
            type="text"
            name="message"
            value={message}
            onChange={(event) => {
              setMessage(event.target.value);
              setMissing(false);
            }}
            onKeyDown={(event) => {
              if (event.key === "Enter") submit();
            }}
            placeholder={kind === "create" ? "e.g. New runbook for clearing the CDN cache (OPS-123)" : "e.g. Allow up to 500 lines (OPS-123)"}
            aria-invalid={missing || state.field === "message" || undefined}
            maxLength={1000}
          />
          {missing ? <span className="field-error">Say what changed and why: it is kept with the version, like a commit message.</span> : null}
        </label>
        <button type="button" className="button primary" onClick={submit} disabled={pending || blocked !== null}>
          {pending ? LABELS[kind].busy : forReview ? "Send for review" : LABELS[kind].idle}
        </button>
      </div>
      {blocked ? <p className="small muted">{blocked}</p> : null}
      {forReview ? (
        <div className="notice" role="status" data-testid="loosening-warning">
          <strong>This change loosens a safety net:</strong> {loosens.join("; ")}. It will not apply when you save: it becomes a
          proposal that another editor must publish, and the runbook keeps its current safety nets until then.
        </div>
      ) : null}
      {kind === "propose" ? <p className="small muted">An operator reviews the proposal; nothing changes for runners until it is published.</p> : null}
      <ServerError state={state} kind={kind} />
    </section>
  );
}
