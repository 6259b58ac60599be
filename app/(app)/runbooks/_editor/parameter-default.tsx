"use client";

import type { DraftParameter, Scalar } from "./draft";
import { useFieldErrors } from "./editor-context";
import { fieldId } from "./error-paths";
import { BufferedInput } from "./field";
import { withCurrent } from "./metadata-fields";
import { displayText, numberCodec, optionalTextCodec } from "./text-values";

interface Props {
  field: string;
  parameter: DraftParameter;
  onValue: (value: Scalar | undefined) => void;
}

/** The default's input follows the type: a choice for booleans and enums, text otherwise. */
export function ParameterDefault({ field, parameter, onValue }: Props) {
  const invalid = useFieldErrors(field).length > 0 || undefined;
  const current = displayText(parameter.default);
  if (parameter.type === "boolean" || parameter.type === "enum") {
    const options = parameter.type === "boolean" ? ["true", "false"] : (parameter.allowed ?? []).map(displayText);
    const toValue = (text: string): Scalar | undefined => {
      if (text === "") return undefined;
      if (parameter.type === "boolean" && (text === "true" || text === "false")) return text === "true";
      return (parameter.allowed ?? []).find((allowed) => displayText(allowed) === text) ?? text;
    };
    return (
      <select id={fieldId(field)} value={current} onChange={(event) => onValue(toValue(event.target.value))} aria-invalid={invalid}>
        <option value="">(none)</option>
        {withCurrent(options, parameter.default).map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    );
  }
  const numeric = parameter.type === "integer" || parameter.type === "number";
  return <BufferedInput field={field} value={parameter.default} codec={numeric ? numberCodec : optionalTextCodec} onValue={onValue} placeholder="none" />;
}
