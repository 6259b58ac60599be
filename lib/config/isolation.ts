/** How runs are isolated: `auto` picks the strongest mechanism that works on this host. */
export const isolationSettings = ["auto", "sandbox", "user", "none"] as const;
export type IsolationSetting = (typeof isolationSettings)[number];
export type IsolationMode = Exclude<IsolationSetting, "auto">;

/**
 * Who a run executes as when Handrail runs as root: one named user or uid (its own credentials for
 * kubectl, ssh and the like), or a range of uids from which every run leases one of its own.
 */
export type RunAs =
  | { kind: "user"; name: string }
  | { kind: "uid"; uid: number; gid: number }
  | { kind: "range"; first: number; last: number };

/** Unnamed uids outside the ranges Debian and systemd allocate; one per concurrent run on a host. */
export const DEFAULT_RUN_AS: RunAs = { kind: "range", first: 2_000_000_000, last: 2_000_000_999 };

const MAX_ID = 4_294_967_294;

function id(text: string): number | undefined {
  if (!/^\d{1,10}$/.test(text)) return undefined;
  const value = Number(text);
  return value >= 1 && value <= MAX_ID ? value : undefined;
}

/** `name`, `uid`, `uid:gid` or `first-last`; returns a message naming the problem otherwise. */
export function parseRunAs(value: string): RunAs | string {
  const text = value.trim();
  const range = /^(\d+)-(\d+)$/.exec(text);
  if (range) {
    const first = id(range[1] ?? "");
    const last = id(range[2] ?? "");
    if (first === undefined || last === undefined || last < first) return "a uid range is FIRST-LAST with 1 <= FIRST <= LAST (uid 0 is never used)";
    return { kind: "range", first, last };
  }
  const pair = /^(\d+)(?::(\d+))?$/.exec(text);
  if (pair) {
    const uid = id(pair[1] ?? "");
    const gid = pair[2] === undefined ? uid : id(pair[2]);
    if (uid === undefined || gid === undefined) return "a uid (and gid) must be a whole number from 1 up; a run never has uid 0";
    return { kind: "uid", uid, gid };
  }
  if (/^[a-z_][a-z0-9_-]{0,31}\$?$/i.test(text)) {
    if (text === "root") return "runs never execute as root";
    return { kind: "user", name: text };
  }
  return "must be a user name, a uid, uid:gid, or a uid range FIRST-LAST";
}

export function describeRunAs(runAs: RunAs): string {
  if (runAs.kind === "user") return `user ${runAs.name}`;
  if (runAs.kind === "uid") return `uid ${runAs.uid}:${runAs.gid}`;
  return `a uid of its own from ${runAs.first}-${runAs.last}`;
}
