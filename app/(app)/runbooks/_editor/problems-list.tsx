"use client";

import type { SourceError } from "@/lib/runbooks/source";
import styles from "./editor.module.css";

interface Props {
  errors: SourceError[];
  /** Takes the author to the input for a field. */
  onSelect: (field: string) => void;
}

/** Every problem the loader's schema finds, by field path; the same checks run again on save. */
export function ProblemsList({ errors, onSelect }: Props) {
  if (errors.length === 0) {
    return (
      <p className={styles.valid} role="status">
        ✓ Valid: this is what the loader accepts.
      </p>
    );
  }
  return (
    <div className={styles.problems} role="status">
      <strong>
        {errors.length} problem{errors.length === 1 ? "" : "s"}
      </strong>
      <ul aria-label="Problems">
        {errors.map((error, index) => (
          <li key={`${error.field}:${index}`}>
            <button type="button" className={styles.problemField} onClick={() => onSelect(error.field)} title="Show this field">
              {error.field}
            </button>{" "}
            {error.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
