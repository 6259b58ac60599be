"use client";

import { riskLevels } from "@/lib/runbooks/definition";
import type { Draft } from "./draft";
import { withField } from "./draft-edits";
import { fieldId } from "./error-paths";
import { BufferedInput, BufferedTextarea, Field } from "./field";
import { displayText, numberCodec, optionalTextCodec, requiredTextCodec, tagsCodec } from "./text-values";
import styles from "./editor.module.css";

interface Props {
  draft: Draft;
  onChange: (draft: Draft) => void;
  /** Set when editing: the slug names the runbook and cannot change. */
  fixedSlug?: string;
}

/** Options for a select, keeping a value the schema rejects visible so its error makes sense. */
export function withCurrent(options: readonly string[], current: unknown): string[] {
  const text = displayText(current);
  return text === "" || options.includes(text) ? [...options] : [...options, text];
}

export function MetadataFields({ draft, onChange, fixedSlug }: Props) {
  const set = (key: string) => (value: unknown) => onChange(withField(draft, key, value));
  return (
    <div className={styles.grid}>
      <Field field="slug" label="Slug" help={fixedSlug ? "Names the runbook in URLs, the API and the CLI; it cannot change." : "Lowercase letters, digits and dashes: the URL and CLI name."}>
        <BufferedInput field="slug" value={draft.slug} codec={requiredTextCodec} onValue={set("slug")} readOnly={fixedSlug !== undefined} mono placeholder="disk-usage" />
      </Field>
      <Field field="title" label="Title">
        <BufferedInput field="title" value={draft.title} codec={requiredTextCodec} onValue={set("title")} placeholder="Disk usage" />
      </Field>
      <Field field="description" label="Description" wide>
        <BufferedTextarea field="description" value={draft.description} codec={optionalTextCodec} onValue={set("description")} rows={2} placeholder="What it does and when to use it." />
      </Field>
      <Field field="owner" label="Owner" help="The owning team, e.g. platform, sre, dba.">
        <BufferedInput field="owner" value={draft.owner} codec={requiredTextCodec} onValue={set("owner")} placeholder="platform" />
      </Field>
      <Field field="risk" label="Risk" help="Policies decide who may run each risk level.">
        <select id={fieldId("risk")} value={displayText(draft.risk)} onChange={(event) => set("risk")(event.target.value || undefined)}>
          {draft.risk === undefined || draft.risk === null ? <option value="">choose…</option> : null}
          {withCurrent(riskLevels, draft.risk).map((risk) => (
            <option key={risk} value={risk}>
              {risk}
            </option>
          ))}
        </select>
      </Field>
      <Field field="timeout" label="Timeout" help='A whole number with ms, s, m or h: "90s", "5m".'>
        <BufferedInput field="timeout" value={draft.timeout} codec={requiredTextCodec} onValue={set("timeout")} mono placeholder="5m" />
      </Field>
      <Field field="environment" label="Environment" help="Optional, e.g. production; policies can match on it.">
        <BufferedInput field="environment" value={draft.environment} codec={optionalTextCodec} onValue={set("environment")} mono placeholder="staging" />
      </Field>
      <Field field="tags" label="Tags" help="Comma-separated." wide>
        <BufferedInput field="tags" value={draft.tags} codec={tagsCodec} onValue={set("tags")} placeholder="diagnostics, disk" />
      </Field>
      <Field field="concurrency" label="Concurrency" help="At most this many runs at once; empty for no limit.">
        <BufferedInput field="concurrency" value={draft.concurrency} codec={numberCodec} onValue={set("concurrency")} placeholder="no limit" />
      </Field>
      <Field field="lock" label="Lock key" help={<>One run per key across all runbooks, e.g. <code>host:{"{{host}}"}</code>.</>}>
        <BufferedInput field="lock" value={draft.lock} codec={optionalTextCodec} onValue={set("lock")} mono placeholder="none" />
      </Field>
    </div>
  );
}
