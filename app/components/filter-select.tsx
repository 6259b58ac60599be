/** One dropdown of a list's filter form: "any" (or what no choice means here) first, then the choices in the order given. */
export function FilterSelect({
  label,
  name,
  value,
  choices,
  anyLabel = "any",
}: {
  label: string;
  name: string;
  value: string | undefined;
  choices: Array<string | { value: string; label: string }>;
  anyLabel?: string;
}) {
  return (
    <label>
      <span className="field-label">{label}</span>
      <select name={name} defaultValue={value ?? ""}>
        <option value="">{anyLabel}</option>
        {choices.map((choice) => {
          const { value: optionValue, label: optionLabel } = typeof choice === "string" ? { value: choice, label: choice } : choice;
          return (
            <option key={optionValue} value={optionValue}>
              {optionLabel}
            </option>
          );
        })}
      </select>
    </label>
  );
}
