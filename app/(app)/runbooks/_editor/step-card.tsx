"use client";

import { scriptLanguages } from "@/lib/runbooks/definition";
import { ArgvList } from "./argv-list";
import { CodeEditor } from "./code-editor";
import type { DraftStep, Scalar } from "./draft";
import { stepKindOf, withStepField, withStepKind, type StepKindChoice } from "./draft-edits";
import { useEditorContext } from "./editor-context";
import { fieldId, messagesElsewhereUnder } from "./error-paths";
import { highlightFor } from "./execution-fields";
import { BufferedInput, BufferedTextarea, Field, FieldErrors } from "./field";
import { displayText, numberCodec, optionalTextCodec, requiredTextCodec } from "./text-values";
import { RowButtons } from "./row-buttons";
import styles from "./editor.module.css";

interface Props {
  index: number;
  count: number;
  step: DraftStep;
  parameterNames: string[];
  onChange: (step: DraftStep) => void;
  onMove: (delta: number) => void;
  onRemove: () => void;
}

const KINDS: Array<{ kind: StepKindChoice; label: string }> = [
  { kind: "command", label: "command" },
  { kind: "script", label: "inline script" },
  { kind: "manual", label: "manual (a person)" },
  { kind: "runbook", label: "another runbook" },
];
const SHOWN = ["id", "title", "command", "script", "args", "manual", "runbook", "note", "when", "timeout", "onFailure", "approval.required"];

/** One step of a runbook of steps: what it does, when, and what happens when it fails. Other fields (env, value) stay as the YAML has them. */
export function StepCard({ index, count, step, parameterNames, onChange, onMove, onRemove }: Props) {
  const { errors, readOnly } = useEditorContext();
  const path = `steps.${index}`;
  const set = (key: string) => (value: unknown) => onChange(withStepField(step, key, value));
  const kind = stepKindOf(step);
  const name = displayText(step.title) || displayText(step.id) || `step ${index + 1}`;
  const script = step.script && typeof step.script === "object" ? step.script : null;
  const approvals = step.approval && typeof step.approval === "object" ? step.approval.required : undefined;
  const setApprovals = (value: Scalar | undefined) => {
    const rest = step.approval && typeof step.approval === "object" ? step.approval : {};
    onChange(withStepField(step, "approval", value === undefined || value === 0 ? undefined : { ...rest, required: value }));
  };
  return (
    <li className={styles.paramCard} aria-label={`Step ${index + 1}: ${name}`}>
      <div className={styles.paramHead}>
        <span className={styles.paramIndex}>{index + 1}</span>
        <Field field={`${path}.id`} label="Id">
          <BufferedInput field={`${path}.id`} value={step.id} codec={requiredTextCodec} onValue={set("id")} mono placeholder="check_lag" />
        </Field>
        <Field field={`${path}.title`} label="Title">
          <BufferedInput field={`${path}.title`} value={step.title} codec={requiredTextCodec} onValue={set("title")} />
        </Field>
        <Field field={`${path}.kind`} label="Kind">
          <select id={fieldId(`${path}.kind`)} value={kind} onChange={(event) => onChange(withStepKind(step, event.target.value as StepKindChoice))}>
            {KINDS.map((option) => (
              <option key={option.kind} value={option.kind}>
                {option.label}
              </option>
            ))}
          </select>
        </Field>
        <RowButtons index={index} count={count} name={name} onMove={onMove} onRemove={onRemove} />
      </div>
      {kind === "command" ? (
        <div className="field">
          <span className="field-label">Command (argv)</span>
          <ArgvList field={`${path}.command`} elements={step.command ?? []} onChange={(elements) => set("command")(elements)} parameterNames={parameterNames} firstLabel="program" />
        </div>
      ) : null}
      {kind === "script" && script ? (
        <div className="field">
          <label htmlFor={fieldId(`${path}.script.language`)} className="field-label">
            Script
          </label>
          <select
            id={fieldId(`${path}.script.language`)}
            className={styles.narrowSelect}
            value={displayText(script.language)}
            onChange={(event) => set("script")({ ...script, language: event.target.value || undefined })}
          >
            <option value="">shebang — the script&apos;s own #! line</option>
            {scriptLanguages.map((language) => (
              <option key={language} value={language}>
                {language}
              </option>
            ))}
          </select>
          <CodeEditor
            value={displayText(script.content)}
            onChange={(content) => set("script")({ ...script, content })}
            language={highlightFor(displayText(script.language), displayText(script.content))}
            label={`Script of ${name}`}
            readOnly={readOnly}
            minHeight="90px"
            maxHeight="320px"
          />
        </div>
      ) : kind === "script" ? (
        <p className="notice small">
          <code>script: {displayText(step.script)}</code> names a file next to the YAML; edit it there.
        </p>
      ) : null}
      {kind === "manual" ? (
        <>
          <Field field={`${path}.manual`} label="Instructions (Markdown)" wide>
            <BufferedTextarea field={`${path}.manual`} value={step.manual} codec={requiredTextCodec} onValue={set("manual")} rows={4} />
          </Field>
          <Field field={`${path}.note`} label="Note when ticked">
            <select id={fieldId(`${path}.note`)} value={displayText(step.note) || "optional"} onChange={(event) => set("note")(event.target.value === "optional" ? undefined : event.target.value)}>
              <option value="optional">optional</option>
              <option value="required">required</option>
            </select>
          </Field>
        </>
      ) : null}
      {kind === "runbook" ? (
        <Field
          field={`${path}.runbook`}
          label="Runbook (slug)"
          help="Requested as the person who requested this run: its policy, risk and approval apply. Its params are written in the YAML view."
          wide
        >
          <BufferedInput field={`${path}.runbook`} value={step.runbook} codec={requiredTextCodec} onValue={set("runbook")} mono placeholder="restart-service" />
        </Field>
      ) : null}
      <div className={styles.grid}>
        <Field field={`${path}.when`} label="When" help="Runs only when this holds, e.g. params.environment == &quot;production&quot;." wide>
          <BufferedInput field={`${path}.when`} value={step.when} codec={optionalTextCodec} onValue={set("when")} mono placeholder="always" />
        </Field>
        {kind === "command" || kind === "script" ? (
          <>
            <Field field={`${path}.timeout`} label="Timeout">
              <BufferedInput field={`${path}.timeout`} value={step.timeout} codec={optionalTextCodec} onValue={set("timeout")} placeholder="the runbook's" />
            </Field>
            <Field field={`${path}.onFailure`} label="On failure" help="stop, continue, or retry(2, 10s)">
              <BufferedInput field={`${path}.onFailure`} value={step.onFailure} codec={optionalTextCodec} onValue={set("onFailure")} mono placeholder="stop" />
            </Field>
            <Field field={`${path}.approval.required`} label="Approvals" help="People other than the requester who approve it before it runs; 0 for none.">
              <BufferedInput field={`${path}.approval.required`} value={approvals} codec={numberCodec} onValue={setApprovals} placeholder="0" />
            </Field>
          </>
        ) : null}
      </div>
      <FieldErrors messages={messagesElsewhereUnder(errors, path, SHOWN.map((key) => `${path}.${key}`))} />
    </li>
  );
}
