"use client";

import { useRouter } from "next/navigation";
import { useActionState, useEffect } from "react";
import type { ActionState } from "@/lib/api/form-actions";
import { OneTimeSecret } from "./one-time-secret";
import styles from "./webhooks.module.css";

export interface WebhookFormValues {
  id?: string;
  name: string;
  url: string;
  format: "json" | "slack";
  owner: string | null;
  events: readonly string[];
}

interface Props {
  action: (state: ActionState, formData: FormData) => Promise<ActionState>;
  submit: string;
  testId: string;
  initial?: WebhookFormValues;
  /** Passed from the server: the client bundle stays free of the database schema. */
  eventNames: readonly string[];
}

/** What was typed comes back after a refusal (React resets a form once its action has run). */
type Shown = ActionState & { attempt?: number; values?: WebhookFormValues };

function typed(formData: FormData, initial: WebhookFormValues): WebhookFormValues {
  const text = (name: string) => {
    const value = formData.get(name);
    return typeof value === "string" ? value : "";
  };
  return {
    ...initial,
    name: text("name"),
    url: text("url"),
    format: text("format") === "slack" ? "slack" : "json",
    owner: text("owner") || null,
    events: formData.getAll("events").filter((value): value is string => typeof value === "string"),
  };
}

const blank: WebhookFormValues = { name: "", url: "", format: "json", owner: null, events: ["run.finished", "run.failed", "run.break_glass"] };

/** Create or edit a webhook's settings; a refusal is shown next to the field it names. */
export function WebhookForm({ action, submit, testId, initial = blank, eventNames }: Props) {
  const [state, formAction, pending] = useActionState(
    async (previous: Shown, formData: FormData): Promise<Shown> => {
      const result = await action(previous, formData);
      return { ...result, attempt: (previous.attempt ?? 0) + 1, ...(result.error ? { values: typed(formData, initial) } : {}) };
    },
    {},
  );
  const values = state.values ?? initial;
  const router = useRouter();
  useEffect(() => {
    if (state.attempt && !state.error) router.refresh();
  }, [state, router]);
  const fieldError = (name: string) =>
    state.error && (state.field === name || state.field?.startsWith(`${name}.`)) ? (
      <span className="field-error" role="alert">
        {state.error}
      </span>
    ) : null;
  const known = ["name", "url", "format", "owner", "events"];
  const formError = state.error && !known.some((name) => state.field === name || state.field?.startsWith(`${name}.`)) ? state.error : undefined;
  const id = (name: string) => `${testId}-${name}`;
  return (
    <form key={state.attempt} action={formAction} className="form" noValidate data-testid={testId}>
      {values.id ? <input type="hidden" name="id" value={values.id} /> : null}
      {values.id ? <input type="hidden" name="previousFormat" value={values.format} /> : null}
      <div className="field">
        <label className="field-label" htmlFor={id("name")}>
          Name
        </label>
        <input id={id("name")} name="name" defaultValue={values.name} placeholder="platform deploys to #ops" autoComplete="off" />
        {fieldError("name")}
      </div>
      <div className="field">
        <label className="field-label" htmlFor={id("url")}>
          URL
        </label>
        <input id={id("url")} name="url" type="url" defaultValue={values.url} placeholder="https://hooks.slack.com/services/…" autoComplete="off" spellCheck={false} />
        <span className="field-help">Events are POSTed here as JSON. Redirects are not followed. Internal addresses are refused unless the server allows their network.</span>
        {fieldError("url")}
      </div>
      <div className="field">
        <label className="field-label" htmlFor={id("format")}>
          Format
        </label>
        <select id={id("format")} name="format" defaultValue={values.format}>
          <option value="json">json: the event as JSON, signed</option>
          <option value="slack">slack: a message for a Slack incoming webhook</option>
        </select>
        {fieldError("format")}
      </div>
      <div className="field">
        <label className="field-label" htmlFor={id("owner")}>
          Runbook owner
        </label>
        <input id={id("owner")} name="owner" defaultValue={values.owner ?? ""} placeholder="every runbook" autoComplete="off" />
        <span className="field-help">A team: only its runbooks, and every request and break-glass use of them. Empty: every runbook (admins only).</span>
        {fieldError("owner")}
      </div>
      <fieldset className={`field ${styles.events}`}>
        <legend className="field-label">Events</legend>
        {eventNames.map((event) => (
          <label key={event} className={styles.event}>
            <input type="checkbox" name="events" value={event} defaultChecked={values.events.includes(event)} /> <span className="mono">{event}</span>
          </label>
        ))}
        {fieldError("events")}
      </fieldset>
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
      {state.secret && !state.error ? <OneTimeSecret secret={state.secret} /> : null}
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={pending}>
          {submit}
        </button>
      </div>
    </form>
  );
}
