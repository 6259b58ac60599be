/**
 * Fixed-height row windowing. Browsers cap an element's height (Firefox near 17.9M px, Chrome near
 * 33.5M px), so past MAX_SCROLL_PX the scroll range is compressed: one scrolled pixel moves
 * `ratio` pixels of content, and rows are placed relative to the viewport rather than the spacer.
 */
export const MAX_SCROLL_PX = 8_000_000;

export interface Geometry {
  /** Height of all rows at full size. */
  virtual: number;
  /** Height of the scrollable spacer actually rendered. */
  real: number;
  /** Content pixels per scrolled pixel; 1 when nothing is compressed. */
  ratio: number;
}

export function geometry(count: number, rowHeight: number, viewport: number): Geometry {
  const virtual = count * rowHeight;
  const real = Math.min(virtual, MAX_SCROLL_PX);
  const ratio = virtual > real && real > viewport ? (virtual - viewport) / (real - viewport) : 1;
  return { virtual, real, ratio };
}

export interface RowWindow extends Geometry {
  /** First row to render (inclusive) and last (exclusive), overscan included. */
  start: number;
  end: number;
  /** Content offset of the viewport's top edge. */
  offset: number;
  /** Index of the first row at least half visible. */
  firstVisible: number;
}

export function rowWindow(count: number, rowHeight: number, viewport: number, scrollTop: number, overscan: number): RowWindow {
  const shape = geometry(count, rowHeight, viewport);
  const offset = Math.max(0, Math.min(scrollTop * shape.ratio, shape.virtual - viewport));
  return {
    ...shape,
    offset,
    start: Math.max(0, Math.floor(offset / rowHeight) - overscan),
    end: Math.min(count, Math.ceil((offset + viewport) / rowHeight) + overscan),
    firstVisible: Math.min(Math.max(0, count - 1), Math.round(offset / rowHeight)),
  };
}

/** Where row `index` sits inside the spacer, given the window it was computed for. */
export function rowTop(index: number, rowHeight: number, scrollTop: number, window: Pick<RowWindow, "offset">): number {
  return scrollTop + index * rowHeight - window.offset;
}

export type Align = "start" | "center" | "end";

/** The scrollTop that shows row `index` at `align`. */
export function scrollTopFor(index: number, align: Align, count: number, rowHeight: number, viewport: number): number {
  const shape = geometry(count, rowHeight, viewport);
  const lead = align === "center" ? (viewport - rowHeight) / 2 : align === "end" ? viewport - rowHeight : 0;
  const offset = Math.max(0, Math.min(index * rowHeight - lead, shape.virtual - viewport));
  return offset / shape.ratio;
}
