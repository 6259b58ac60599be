"use client";

import { useState } from "react";
import { scriptLanguages } from "@/lib/runbooks/definition";
import { ArgvList } from "./argv-list";
import { CodeEditor, type CodeLanguage } from "./code-editor";
import type { Draft, Scalar } from "./draft";
import { StepsFields } from "./steps-fields";
import { executionModeOf, parametersOf, switchExecution, toSteps, withField, type ExecutionMode, type ExecutionStash } from "./draft-edits";
import { useEditorContext, useFieldErrors } from "./editor-context";
import { fieldId } from "./error-paths";
import { FieldErrors } from "./field";
import { displayText } from "./text-values";
import styles from "./editor.module.css";

const SHEBANG = "";

/** Highlighting for a script: its language, or what its #! line names. */
export function highlightFor(language: string, content: string): CodeLanguage {
  const hint = language || (content.startsWith("#!") ? (content.split("\n")[0] ?? "") : "");
  if (/python/.test(hint)) return "python";
  if (/node/.test(hint)) return "javascript";
  return "shell";
}

function ScriptFields({ draft, onChange }: { draft: Draft; onChange: (draft: Draft) => void }) {
  const { readOnly } = useEditorContext();
  const script = draft.script;
  const contentErrors = useFieldErrors("script.content");
  const languageErrors = useFieldErrors("script.language");
  const scriptErrors = useFieldErrors("script");
  if (typeof script === "string" || !script) {
    return (
      <p className="notice">
        <code>script: {displayText(script)}</code> names a file, which only file-managed runbooks can do. Switch to a command and back to start an inline script.
        <FieldErrors messages={scriptErrors} />
      </p>
    );
  }
  const language = displayText(script.language);
  const content = displayText(script.content);
  const setScript = (key: "language" | "content", value: string) => {
    const next: Record<string, unknown> = { ...script };
    if (value === "" && key === "language") delete next.language;
    else next[key] = value;
    onChange(withField(draft, "script", next));
  };
  return (
    <>
      <div className="field">
        <label htmlFor={fieldId("script.language")} className="field-label">
          Language
        </label>
        <select id={fieldId("script.language")} value={language} onChange={(event) => setScript("language", event.target.value)} className={styles.narrowSelect}>
          <option value={SHEBANG}>shebang — the script&apos;s own #! line</option>
          {[...scriptLanguages, ...(language && !(scriptLanguages as readonly string[]).includes(language) ? [language] : [])].map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
        <FieldErrors messages={languageErrors} />
      </div>
      <div className="field">
        <span className="field-label">Script</span>
        <CodeEditor value={content} onChange={(value) => setScript("content", value)} language={highlightFor(language, content)} label="Script" readOnly={readOnly} minHeight="140px" maxHeight="420px" />
        <span className="field-help">
          {language ? `Runs as: ${language} <script> <args…>.` : "Runs directly: the first line must be a #! line, e.g. #!/usr/bin/env python3."} Parameters arrive as the arguments below and as
          $HANDRAIL_PARAM_&lt;NAME&gt;; quote them (&quot;$1&quot;), never eval.
        </span>
        <FieldErrors messages={contentErrors} />
        <FieldErrors messages={scriptErrors} />
      </div>
    </>
  );
}

export function ExecutionFields({ draft, onChange }: { draft: Draft; onChange: (draft: Draft) => void }) {
  if (Array.isArray(draft.steps)) return <StepsFields draft={draft} onChange={onChange} />;
  return (
    <>
      <CommandOrScript draft={draft} onChange={onChange} />
      <p className="toolbar">
        <button type="button" className="button small" onClick={() => onChange(toSteps(draft))}>
          Split into steps…
        </button>
        <span className="field-help">A checklist of commands, scripts and manual steps a team works through together.</span>
      </p>
    </>
  );
}

function CommandOrScript({ draft, onChange }: { draft: Draft; onChange: (draft: Draft) => void }) {
  const [stash, setStash] = useState<ExecutionStash>({});
  const mode = executionModeOf(draft);
  const names = parametersOf(draft)
    .map((parameter) => displayText(parameter.name))
    .filter((name) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(name));
  const choose = (next: ExecutionMode) => {
    const switched = switchExecution(draft, next, stash);
    setStash(switched.stash);
    onChange(switched.draft);
  };
  const setList = (key: "command" | "args") => (elements: Scalar[]) => onChange(withField(draft, key, key === "args" && elements.length === 0 ? undefined : elements));
  return (
    <>
      <div className={styles.segmented} role="radiogroup" aria-label="Command or inline script">
        {(["command", "script"] as const).map((option) => (
          <label key={option} className={mode === option ? styles.segmentActive : styles.segment}>
            <input type="radio" name="execution-mode" value={option} checked={mode === option} onChange={() => choose(option)} />
            {option === "command" ? "Command" : "Inline script"}
          </label>
        ))}
      </div>
      <p className="field-help">
        Nothing passes through a shell: each row is exactly one argument, and a <code>{"{{parameter}}"}</code> must be a whole row on its own (not{" "}
        <code>{"--file={{file}}"}</code>; use two rows).
      </p>
      {mode === "command" ? (
        <div className="field">
          <span className="field-label">Command (argv)</span>
          <ArgvList field="command" elements={draft.command ?? []} onChange={setList("command")} parameterNames={names} firstLabel="program" />
        </div>
      ) : (
        <>
          <ScriptFields draft={draft} onChange={onChange} />
          <div className="field">
            <span className="field-label">Arguments</span>
            <ArgvList field="args" elements={draft.args ?? []} onChange={setList("args")} parameterNames={names} />
          </div>
        </>
      )}
    </>
  );
}
