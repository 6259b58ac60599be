import { spawnSync } from "node:child_process";
import os from "node:os";
import { describeRunAs, type IsolationMode, type IsolationSetting, type RunAs } from "../../config/isolation";
import { wrapCommand, type RunCredentials } from "./wrap-command";

/** The run identity the spawner gives each run: one fixed user, or a uid leased per run. */
export type RunIdentity =
  | { kind: "fixed"; uid: number; gid: number; name: string; home: string | undefined }
  | { kind: "range"; first: number; last: number };

export interface IsolationPlan {
  mode: IsolationMode;
  /** Undefined when Handrail is not root: runs keep its uid (inside the sandbox, if any). */
  identity: RunIdentity | undefined;
  /** One line for logs, `handrail doctor` and the health endpoint's readers. */
  description: string;
}

export class IsolationUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "IsolationUnavailableError";
  }
}

const INSTALL_HINT =
  "install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap) for the sandbox, or start the worker as root so each run gets a uid of its own";

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

function lookUpUser(key: string | number): { uid: number; gid: number; name: string; home: string } | undefined {
  const result = spawnSync("getent", ["passwd", String(key)], { encoding: "utf8" });
  const [name, , uid, gid, , home] = (result.stdout ?? "").trim().split(":");
  if (result.status !== 0 || !name || uid === undefined || gid === undefined) return undefined;
  return { name, uid: Number(uid), gid: Number(gid), home: home ?? "" };
}

function runIdentity(runAs: RunAs): RunIdentity {
  if (runAs.kind === "range") return { kind: "range", first: runAs.first, last: runAs.last };
  const entry = lookUpUser(runAs.kind === "user" ? runAs.name : runAs.uid);
  if (runAs.kind === "user") {
    if (!entry) throw new IsolationUnavailableError(`HANDRAIL_RUN_AS: there is no user "${runAs.name}" on this host`);
    if (entry.uid === 0) throw new IsolationUnavailableError(`HANDRAIL_RUN_AS: "${runAs.name}" is uid 0; runs never execute as root`);
    return { kind: "fixed", uid: entry.uid, gid: entry.gid, name: entry.name, home: entry.home || undefined };
  }
  return { kind: "fixed", uid: runAs.uid, gid: runAs.gid, name: entry?.name ?? String(runAs.uid), home: entry?.home || undefined };
}

let sandboxProbe: boolean | undefined;

/** Whether bubblewrap can start a sandbox here, as this process would start it. Probed once per process. */
export function sandboxWorks(): boolean {
  if (sandboxProbe !== undefined) return sandboxProbe;
  const credentials: RunCredentials | undefined = isRoot() ? { uid: 65534, gid: 65534 } : undefined;
  const [file, ...args] = wrapCommand({ mode: "sandbox", argv: ["true"], workDir: os.tmpdir(), hiddenPaths: [], credentials }) as [string, ...string[]];
  const result = spawnSync(file, args, { stdio: "ignore", timeout: 10_000 });
  sandboxProbe = result.status === 0;
  return sandboxProbe;
}

/** What this host offers; tests replace it. */
export interface HostAbilities {
  root: boolean;
  sandboxWorks: () => boolean;
}

const thisHost: HostAbilities = { root: isRoot(), sandboxWorks };

function plan(mode: IsolationMode, runAs: RunAs, host: HostAbilities): IsolationPlan {
  if (mode === "none") return { mode, identity: undefined, description: "none: runs execute as the Handrail process's own user and can read its secrets" };
  if (!host.root) {
    if (mode === "user") throw new IsolationUnavailableError("HANDRAIL_ISOLATION=user needs Handrail to start as root, so it can run each run as another uid");
    return { mode, identity: undefined, description: "sandbox: bubblewrap with a PID namespace of its own and the platform's directories hidden, as Handrail's own uid" };
  }
  const identity = runIdentity(runAs);
  if (mode === "user" && identity.kind === "fixed") {
    throw new IsolationUnavailableError(
      `HANDRAIL_ISOLATION=user with one run user (${describeRunAs(runAs)}) would let concurrent runs read each other's environment: give HANDRAIL_RUN_AS a uid range (e.g. 2000000000-2000000999) or ${INSTALL_HINT.split(", or")[0]}`,
    );
  }
  const who = describeRunAs(runAs);
  return mode === "sandbox"
    ? { mode, identity, description: `sandbox: bubblewrap with a PID namespace of its own and the platform's directories hidden, as ${who}` }
    : { mode, identity, description: `user: each run as ${who}, killed by uid when it ends` };
}

/**
 * Decides how this process isolates runs. `auto`: the sandbox if bubblewrap works, else a uid per
 * run if Handrail is root, else — on the embedded database only — none. On PostgreSQL a worker that
 * finds no mechanism refuses to start.
 */
export function resolveIsolation(setting: IsolationSetting, runAs: RunAs, embedded: boolean, host: HostAbilities = thisHost): IsolationPlan {
  if (setting === "none") return plan("none", runAs, host);
  if (setting === "sandbox") {
    if (!host.sandboxWorks()) throw new IsolationUnavailableError(`HANDRAIL_ISOLATION=sandbox, but bubblewrap cannot start a sandbox here: ${INSTALL_HINT}`);
    return plan("sandbox", runAs, host);
  }
  if (setting === "user") return plan("user", runAs, host);
  if (host.sandboxWorks()) return plan("sandbox", runAs, host);
  // As root a run never keeps uid 0 unless none is asked for: a single run user without the sandbox is refused.
  if (host.root) return plan("user", runAs, host);
  if (embedded) return plan("none", runAs, host);
  throw new IsolationUnavailableError(
    `no way to isolate runs was found (HANDRAIL_ISOLATION=auto): ${INSTALL_HINT}${host.root ? " from a uid range (HANDRAIL_RUN_AS)" : ""}, or set HANDRAIL_ISOLATION=none to accept runs that can read this worker's secrets`,
  );
}
