import { useState } from "react";
import type { LocalCodec } from "./text-values";

/**
 * An input keeps what is being typed ("1.", "a, b, ", two env rows with one name) while the draft
 * holds the parsed value; the local form is replaced only when the value changes for another
 * reason (the YAML pane, a reorder).
 */
export interface BufferState<L> {
  local: L;
  /** The value the local form was last reconciled with, as JSON. */
  basis: string;
}

function keyOf(value: unknown): string {
  return JSON.stringify(value) ?? "undefined";
}

export function initialBuffer<L, T>(value: T, codec: LocalCodec<L, T>): BufferState<L> {
  return { local: codec.format(value), basis: keyOf(value) };
}

export function reconcileBuffer<L, T>(state: BufferState<L>, value: T, codec: LocalCodec<L, T>): BufferState<L> {
  const key = keyOf(value);
  if (state.basis === key) return state;
  if (keyOf(codec.parse(state.local)) === key) return { local: state.local, basis: key };
  return { local: codec.format(value), basis: key };
}

export function editedBuffer<L, T>(local: L, codec: LocalCodec<L, T>): { state: BufferState<L>; value: T } {
  const value = codec.parse(local);
  return { state: { local, basis: keyOf(value) }, value };
}

/** The local form to show for `value`, and a setter that returns the parsed value to store. */
export function useLocalBuffer<L, T>(value: T, codec: LocalCodec<L, T>): [L, (local: L) => T] {
  const [state, setState] = useState(() => initialBuffer(value, codec));
  const current = reconcileBuffer(state, value, codec);
  // Adjusting state while rendering (React's "previous props" pattern): settles in one pass.
  if (current !== state) setState(current);
  const onEdit = (local: L) => {
    const edited = editedBuffer(local, codec);
    setState(edited.state);
    return edited.value;
  };
  return [current.local, onEdit];
}
