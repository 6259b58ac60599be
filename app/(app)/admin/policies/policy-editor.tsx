"use client";

import { useActionState, useMemo, useState } from "react";
import YAML from "yaml";
import type { FormState } from "@/lib/api/errors";
import { policyDocumentSchema } from "@/lib/policy/document";
import { GuardedButton } from "../../../components/guarded-button";

/** Checks the document with the server's own schema as the admin types; the server checks again on save. */
function problemsOf(text: string): string[] {
  let document: unknown;
  try {
    document = YAML.parse(text);
  } catch (error) {
    return [`not valid YAML: ${(error as Error).message.split("\n")[0]}`];
  }
  const parsed = policyDocumentSchema.safeParse(document);
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => {
    const path = issue.path.map(String).join(".").replace(/^rules\.(\d+)/, (_match, index: string) => `rule ${Number(index) + 1}`);
    return `${path || "policy"}: ${issue.message}`;
  });
}

export function PolicyEditor({
  initialYaml,
  canEdit,
  deniedReason,
  action,
}: {
  initialYaml: string;
  canEdit: boolean;
  deniedReason: string | null;
  action: (state: FormState, formData: FormData) => Promise<FormState>;
}) {
  const [state, formAction, pending] = useActionState(action, {});
  const [text, setText] = useState(initialYaml);
  const problems = useMemo(() => problemsOf(text), [text]);
  return (
    <form action={formAction} className="form">
      <label className="field">
        <span className="field-label">Policy (YAML)</span>
        <textarea
          name="yaml"
          className="code-editor"
          value={text}
          onChange={(event) => setText(event.target.value)}
          spellCheck={false}
          rows={Math.min(40, Math.max(14, text.split("\n").length + 2))}
          readOnly={!canEdit}
          aria-invalid={problems.length > 0 || undefined}
        />
      </label>
      {problems.length > 0 ? (
        <ul className="problems" aria-label="Problems">
          {problems.map((problem) => (
            <li key={problem} className="field-error">
              {problem}
            </li>
          ))}
        </ul>
      ) : (
        <p className="small muted">The document is valid.</p>
      )}
      {canEdit ? (
        <label className="field">
          <span className="field-label">Reason for this change</span>
          <input name="reason" type="text" placeholder="e.g. CHG-1234: let payments run their refunds" required />
        </label>
      ) : null}
      {state.error ? <p className="form-error">{state.error}</p> : null}
      <div className="form-actions">
        <GuardedButton allowed={canEdit} reason={deniedReason} disabled={pending || problems.length > 0}>
          {pending ? "Saving…" : "Save new version"}
        </GuardedButton>
      </div>
    </form>
  );
}
