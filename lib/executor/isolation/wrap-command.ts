import path from "node:path";
import type { IsolationMode } from "../../config/isolation";

export interface RunCredentials {
  uid: number;
  gid: number;
}

export interface WrapInput {
  mode: IsolationMode;
  /** The command as the runbook defines it. */
  argv: readonly string[];
  workDir: string;
  /** The platform's own directories: replaced by an empty tmpfs inside the sandbox. */
  hiddenPaths: readonly string[];
  /** Set when Handrail is root: the run drops to these ids (and every capability) before its command starts. */
  credentials?: RunCredentials;
  /**
   * The command is the sandbox stub, which drops to `credentials` itself when it execs each command
   * (`dropPrivileges` leads the argv it is sent), so no run process can reach the stub.
   */
  commandDropsPrivileges?: boolean;
}

/** Drops to the run's ids with no capabilities, no supplementary groups and no way back (no setuid binaries). */
export function dropPrivileges(credentials: RunCredentials): string[] {
  return [
    "setpriv",
    `--reuid=${credentials.uid}`,
    `--regid=${credentials.gid}`,
    "--clear-groups",
    "--no-new-privs",
    "--inh-caps=-all",
    "--bounding-set=-all",
    "--pdeathsig=KILL",
    "--",
  ];
}

/** Hidden paths without the ones already inside another hidden path (a tmpfs over the parent hides them). */
export function outermostPaths(paths: readonly string[]): string[] {
  const unique = [...new Set(paths.map((entry) => path.resolve(entry)))].sort();
  return unique.filter((candidate) => !unique.some((other) => other !== candidate && candidate.startsWith(`${other}${path.sep}`)));
}

/** The directories strictly between the hidden root that contains `target` and `target` itself. */
function pathBetween(hiddenRoots: readonly string[], target: string): string[] {
  const root = hiddenRoots.find((candidate) => target.startsWith(`${candidate}${path.sep}`));
  if (!root) return [];
  const between: string[] = [];
  for (let dir = path.dirname(target); dir !== root && dir.startsWith(`${root}${path.sep}`); dir = path.dirname(dir)) between.unshift(dir);
  return between;
}

/**
 * The argv that starts a run under its isolation mode. The sandbox sees the host's filesystem as the
 * run user would, with the platform's directories hidden and only the run's own directory bound back,
 * a PID namespace of its own (its /proc lists only its processes; when its first process ends or
 * bubblewrap's parent dies, every process in it is killed) and its own SysV IPC namespace.
 */
export function wrapCommand(input: WrapInput): string[] {
  const drop = input.credentials && !input.commandDropsPrivileges ? dropPrivileges(input.credentials) : [];
  if (input.mode === "none") return [...input.argv];
  if (input.mode === "user") {
    if (!input.credentials) throw new Error("user isolation needs a run user: Handrail must start as root");
    return [...drop, ...input.argv];
  }
  const hiddenRoots = outermostPaths(input.hiddenPaths);
  const hidden = hiddenRoots.flatMap((entry) => ["--tmpfs", entry]);
  // The run's directory is bound back inside a hidden one: the directories leading to it must be traversable.
  const passage = pathBetween(hiddenRoots, input.workDir).flatMap((entry) => ["--perms", "0711", "--dir", entry]);
  return [
    "bwrap",
    // Unprivileged, bubblewrap needs a user namespace; as root it must not create one (the run would stay root outside it).
    ...(input.credentials ? [] : ["--unshare-user"]),
    "--bind", "/", "/",
    "--dev", "/dev",
    "--proc", "/proc",
    "--unshare-pid",
    "--unshare-ipc",
    "--die-with-parent",
    ...hidden,
    ...passage,
    "--bind", input.workDir, input.workDir,
    "--chdir", input.workDir,
    "--",
    ...drop,
    ...input.argv,
  ];
}
