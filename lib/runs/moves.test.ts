import { describe, expect, it } from "vitest";
import { activeRunStatuses, finishedRunStatuses, runStatuses } from "../run-statuses";
import { assertMove, isLegalMove, runMoves, type RunMove } from "./moves";

const moves = Object.entries(runMoves) as Array<[RunMove, { from: readonly string[]; to: readonly string[] }]>;

describe("the table of run moves", () => {
  it("reaches every status, and a finished run never moves again", () => {
    const reached = new Set(moves.flatMap(([, move]) => move.to));
    expect(runStatuses.filter((status) => !reached.has(status))).toEqual([]);
    for (const [, move] of moves) expect(move.from.filter((status) => finishedRunStatuses.includes(status as never))).toEqual([]);
  });

  it("every active status has a way out", () => {
    for (const status of activeRunStatuses) expect(moves.some(([, move]) => move.from.includes(status))).toBe(true);
  });

  it("answers whether a move is legal, and refuses to make an illegal one", () => {
    expect(isLegalMove("approve", "pending_approval", "queued")).toBe(true);
    expect(isLegalMove("approve", "queued", "running")).toBe(false);
    expect(isLegalMove("cancel", "running", "cancelled")).toBe(false);
    expect(isLegalMove("finish", "running", "cancelled")).toBe(true);
    expect(isLegalMove("request", null, "running")).toBe(true);
    expect(() => assertMove("interrupt", "failed")).toThrow("run move interrupt cannot end in failed");
  });
});
