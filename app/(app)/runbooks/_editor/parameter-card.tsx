"use client";

import { parameterTypes } from "@/lib/runbooks/definition";
import type { DraftParameter } from "./draft";
import { parameterFieldApplies, withParameterField, withParameterType } from "./draft-edits";
import { useEditorContext } from "./editor-context";
import { fieldId, messagesElsewhereUnder } from "./error-paths";
import { BufferedInput, BufferedTextarea, Field, FieldErrors } from "./field";
import { withCurrent } from "./metadata-fields";
import { ParameterDefault } from "./parameter-default";
import { allowedCodec, displayText, numberCodec, optionalTextCodec, requiredTextCodec } from "./text-values";
import { RowButtons } from "./row-buttons";
import styles from "./editor.module.css";

interface Props {
  index: number;
  count: number;
  parameter: DraftParameter;
  onChange: (parameter: DraftParameter) => void;
  onMove: (delta: number) => void;
  onRemove: () => void;
}

const SHOWN = ["name", "type", "default", "description", "pattern", "allowed", "min", "max"];

export function ParameterCard({ index, count, parameter, onChange, onMove, onRemove }: Props) {
  const { errors } = useEditorContext();
  const path = `parameters.${index}`;
  const set = (key: string) => (value: unknown) => onChange(withParameterField(parameter, key, value));
  // A field that does not apply stays visible while it holds a value, so its error has somewhere to show.
  const shows = (key: "default" | "pattern" | "allowed" | "min" | "max") =>
    parameterFieldApplies(parameter.type ?? undefined, key) || (parameter[key] !== undefined && parameter[key] !== null);
  const numeric = parameter.type === "integer" || parameter.type === "number";
  const name = displayText(parameter.name) || `parameter ${index + 1}`;
  return (
    <li className={styles.paramCard} aria-label={`Parameter ${name}`}>
      <div className={styles.paramHead}>
        <span className={styles.paramIndex}>{index + 1}</span>
        <Field field={`${path}.name`} label="Name">
          <BufferedInput field={`${path}.name`} value={parameter.name} codec={requiredTextCodec} onValue={set("name")} mono placeholder="snake_case" />
        </Field>
        <Field field={`${path}.type`} label="Type">
          <select id={fieldId(`${path}.type`)} value={displayText(parameter.type)} onChange={(event) => onChange(withParameterType(parameter, event.target.value))}>
            {withCurrent(parameterTypes, parameter.type).map((type) => (
              <option key={type} value={type}>
                {type}
              </option>
            ))}
          </select>
        </Field>
        <label className={styles.check} htmlFor={fieldId(`${path}.required`)}>
          <input id={fieldId(`${path}.required`)} type="checkbox" checked={parameter.required === true} onChange={(event) => set("required")(event.target.checked)} />
          required
        </label>
        <RowButtons index={index} count={count} name={name} onMove={onMove} onRemove={onRemove} />
      </div>
      <div className={styles.grid}>
        <Field field={`${path}.description`} label="Description" help="Help text on the run form." wide>
          <BufferedInput field={`${path}.description`} value={parameter.description} codec={optionalTextCodec} onValue={set("description")} />
        </Field>
        {shows("default") ? (
          <Field field={`${path}.default`} label="Default" help={parameter.type === "secret" ? "A secret cannot have a default." : "Used when the value is left blank."}>
            <ParameterDefault field={`${path}.default`} parameter={parameter} onValue={set("default")} />
          </Field>
        ) : null}
        {shows("pattern") ? (
          <Field field={`${path}.pattern`} label="Pattern" help="A regular expression the whole value must match.">
            <BufferedInput field={`${path}.pattern`} value={parameter.pattern} codec={optionalTextCodec} onValue={set("pattern")} mono placeholder="[a-z0-9-]+" />
          </Field>
        ) : null}
        {shows("min") ? (
          <Field field={`${path}.min`} label="Min">
            <BufferedInput field={`${path}.min`} value={parameter.min} codec={numberCodec} onValue={set("min")} placeholder="none" />
          </Field>
        ) : null}
        {shows("max") ? (
          <Field field={`${path}.max`} label="Max">
            <BufferedInput field={`${path}.max`} value={parameter.max} codec={numberCodec} onValue={set("max")} placeholder="none" />
          </Field>
        ) : null}
        {shows("allowed") ? (
          <Field field={`${path}.allowed`} label={parameter.type === "enum" ? "Choices" : "Allowed values"} help={parameter.type === "enum" ? "One per line." : "Optional; one per line."} wide>
            <BufferedTextarea field={`${path}.allowed`} value={parameter.allowed} codec={allowedCodec(numeric)} onValue={set("allowed")} rows={3} mono />
          </Field>
        ) : null}
      </div>
      <FieldErrors messages={messagesElsewhereUnder(errors, path, SHOWN.map((key) => `${path}.${key}`))} />
    </li>
  );
}
