import Link from "next/link";
import type { DiffRow } from "@/lib/runbooks/side-by-side";
import styles from "./side-by-side.module.css";

const CONTEXT = 3;
/** Fewer unchanged lines than this between changes are shown rather than folded. */
const MIN_FOLD = 4;

type Block = { kind: "rows"; rows: DiffRow[] } | { kind: "gap"; count: number };

/** Keeps CONTEXT unchanged lines around each change and folds longer unchanged stretches into one row. */
function fold(rows: DiffRow[]): Block[] {
  const near = rows.map(() => false);
  rows.forEach((row, index) => {
    if (row.kind === "same") return;
    for (let other = Math.max(0, index - CONTEXT); other <= Math.min(rows.length - 1, index + CONTEXT); other += 1) near[other] = true;
  });
  const blocks: Block[] = [];
  let index = 0;
  while (index < rows.length) {
    let end = index;
    while (end < rows.length && near[end] === near[index]) end += 1;
    const slice = rows.slice(index, end);
    const last = blocks.at(-1);
    if (!near[index] && slice.length >= MIN_FOLD) blocks.push({ kind: "gap", count: slice.length });
    else if (last?.kind === "rows") last.rows.push(...slice);
    else blocks.push({ kind: "rows", rows: slice });
    index = end;
  }
  return blocks;
}

const markers: Record<DiffRow["kind"], [string, string]> = { same: [" ", " "], removed: ["-", " "], added: [" ", "+"], changed: ["-", "+"] };

function Row({ row }: { row: DiffRow }) {
  const [leftMark, rightMark] = markers[row.kind];
  return (
    <tr className={styles[row.kind]} data-kind={row.kind}>
      <td className={`${styles.num} ${styles.leftNum}`}>{row.left?.number ?? ""}</td>
      <td className={`${styles.text} ${row.left ? styles.left : styles.empty}`}>
        {row.left ? (
          <>
            <span className={styles.marker}>{leftMark}</span>
            {row.left.text}
          </>
        ) : null}
      </td>
      <td className={`${styles.num} ${styles.rightNum}`}>{row.right?.number ?? ""}</td>
      <td className={`${styles.text} ${row.right ? styles.right : styles.empty}`}>
        {row.right ? (
          <>
            <span className={styles.marker}>{rightMark}</span>
            {row.right.text}
          </>
        ) : null}
      </td>
    </tr>
  );
}

interface Props {
  rows: DiffRow[];
  leftTitle: string;
  rightTitle: string;
  /** Where "show all lines" leads; without it every line is shown. */
  expandHref?: string;
}

/** A side-by-side diff with line numbers: removed lines red on the left, added green on the right. */
export function SideBySide({ rows, leftTitle, rightTitle, expandHref }: Props) {
  const blocks: Block[] = expandHref ? fold(rows) : [{ kind: "rows", rows }];
  const changes = rows.filter((row) => row.kind !== "same").length;
  return (
    <>
      <p className={styles.legend}>
        <span>
          {changes} changed line{changes === 1 ? "" : "s"} of {rows.length}
        </span>
        <span>
          <span className={`${styles.swatch} ${styles.swatchRemoved}`} />
          removed
        </span>
        <span>
          <span className={`${styles.swatch} ${styles.swatchAdded}`} />
          added
        </span>
        {expandHref && blocks.some((block) => block.kind === "gap") ? <Link href={expandHref}>Show all lines</Link> : null}
      </p>
      <div className={styles.wrap}>
        <table className={styles.diff} aria-label="Side-by-side diff">
          <colgroup>
            <col className={styles.numHead} />
            <col />
            <col className={styles.numHead} />
            <col />
          </colgroup>
          <thead>
            <tr>
              <th colSpan={2}>{leftTitle}</th>
              <th colSpan={2}>{rightTitle}</th>
            </tr>
          </thead>
          <tbody>
            {blocks.map((block, index) =>
              block.kind === "gap" ? (
                <tr key={`gap-${index}`} className={styles.gap}>
                  <td colSpan={4}>
                    ⋯ {block.count} unchanged line{block.count === 1 ? "" : "s"}
                  </td>
                </tr>
              ) : (
                block.rows.map((row, offset) => <Row key={`${index}-${offset}`} row={row} />)
              ),
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}
