"use client";

import styles from "./editor.module.css";

/** Move up, move down and remove, for one item of an ordered list in the form (a parameter, a step, an argv element). */
export function RowButtons({ index, count, name, onMove, onRemove }: { index: number; count: number; name: string; onMove: (delta: number) => void; onRemove: () => void }) {
  return (
    <span className={styles.rowButtons}>
      <button type="button" className="button small" onClick={() => onMove(-1)} disabled={index === 0} aria-label={`Move ${name} up`} title="Move up">
        ↑
      </button>
      <button type="button" className="button small" onClick={() => onMove(1)} disabled={index === count - 1} aria-label={`Move ${name} down`} title="Move down">
        ↓
      </button>
      <button type="button" className="button small danger" onClick={onRemove} aria-label={`Remove ${name}`} title="Remove">
        ✕
      </button>
    </span>
  );
}
