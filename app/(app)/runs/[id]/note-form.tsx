"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { postJson } from "./post-json";

/** Adds a note to the run's timeline, for everyone watching (the audit trail below shows it). */
export function NoteForm({ runId }: { runId: number }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const text = String(new FormData(form).get("text") ?? "");
    setBusy(true);
    const answer = await postJson(`/api/v1/runs/${runId}/notes`, { text });
    setBusy(false);
    if (!answer.ok) {
      setError(answer.error);
      return;
    }
    setError(null);
    form.reset();
    router.refresh();
  }

  return (
    <form className="note-form" onSubmit={(event) => void submit(event)} aria-label="Add a note to the timeline">
      <input name="text" required maxLength={2000} placeholder="Add a note to the timeline: what you see, what you decided" aria-label="Note" />
      <button type="submit" className="button" disabled={busy}>
        Add note
      </button>
      {error ? <p className="form-error">{error}</p> : null}
    </form>
  );
}
