/**
 * The first process of a sandbox started ahead of its run, as the run user: a bash that waits for
 * the run on stdin and execs its command, which so becomes exactly what a cold start would have run
 * (same pid, signals, exit status, stdin from /dev/null). Builtins only between the read and the
 * exec: every fork costs the run milliseconds, and a shell costs the warm-up a few milliseconds of
 * CPU where a Node stub cost tens, taken from the run being dispatched.
 *
 * The input is a byte count on its own line, then that many bytes of shell: `export 'NAME=value'`
 * lines and `handrail_argv=('arg' …)`, every value single-quoted, so the shell expands nothing in
 * them. One counted read takes it in a few system calls where a NUL-delimited read takes one per
 * byte (a 2.5 KB environment cost 4 ms that way). The shell runs in the C locale (its only
 * variable is PATH), where the count is in bytes; an input cut short is refused whole.
 */
export const SANDBOX_STUB = [
  "bash",
  // Its stdin is a socket: without --norc, bash would take itself for a remote shell and read ~/.bashrc.
  "--norc",
  "--noprofile",
  "-c",
  `read -r handrail_length || exit 0
[[ $handrail_length =~ ^[0-9]{1,9}$ ]] || exit 0
IFS= read -r -N "$handrail_length" handrail_input
[ "\${#handrail_input}" -eq "$handrail_length" ] || exit 0
unset PATH handrail_length
eval "$handrail_input" || exit 127
unset handrail_input
exec </dev/null
exec -- "\${handrail_argv[@]}"`,
];

/** A value as one single-quoted shell word: nothing in it is expanded. */
function shellQuoted(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** What the spawner writes to the stub's stdin, then closes it. Values hold no NUL (an environment cannot). */
export function stubInput(env: Record<string, string>, argv: readonly string[]): string {
  const exports = Object.entries(env).map(([name, value]) => `export ${shellQuoted(`${name}=${value}`)}\n`);
  const script = `${exports.join("")}handrail_argv=(${argv.map(shellQuoted).join(" ")})\n`;
  return `${Buffer.byteLength(script)}\n${script}`;
}

/**
 * What a stub started ahead runs instead of one command when its sandbox serves every step of a run:
 * a loop that starts each step in a subshell of its own (cd to the step's fresh directory, the
 * step's environment, stdin from /dev/null, exec), waits for it, kills whatever it left in the PID
 * namespace, then reports its exit status on stdout and stderr, after everything the step wrote.
 *
 * The stub stays root where Handrail is root: each step's argv starts with the setpriv that drops
 * to the run user, so no process of a step can read the stub's memory, input or descriptors, and so
 * cannot forge the end of its step or see the next step's environment. `kill -KILL -1` reaches
 * every process of the namespace but the stub and bubblewrap's init (pid 1), and the loop refuses to
 * start anywhere pid 1 is not bubblewrap. SIGTERM (a stop) lets the step end, then ends the loop.
 *
 * Each step is sent as a line `<nonce> <directory>`, then a counted script as `stubInput` writes it;
 * the report is `\x1e<nonce>:<status>.` on each stream (see step-end-scanner.ts).
 */
export const SESSION_LOOP = `IFS= read -r handrail_init </proc/1/comm || exit 70
[ "$handrail_init" = bwrap ] || exit 70
handrail_stop=
trap 'handrail_stop=1' TERM
while IFS=' ' read -r handrail_marker handrail_dir; do
  [[ $handrail_marker =~ ^[0-9a-f]{24}$ && $handrail_dir =~ ^step-[0-9a-z]{6,}$ ]] || exit 0
  read -r handrail_length || exit 0
  [[ $handrail_length =~ ^[0-9]{1,9}$ ]] || exit 0
  IFS= read -r -N "$handrail_length" handrail_input
  [ "\${#handrail_input}" -eq "$handrail_length" ] || exit 0
  (
    cd -- "$handrail_dir" || exit 126
    unset handrail_init handrail_marker handrail_dir handrail_length handrail_stop
    eval "$handrail_input" || exit 127
    unset handrail_input
    exec </dev/null
    exec -- "\${handrail_argv[@]}"
  )
  handrail_status=$?
  kill -KILL -1 2>/dev/null
  printf '\\036%s:%s.' "$handrail_marker" "$handrail_status"
  printf '\\036%s:%s.' "$handrail_marker" "$handrail_status" >&2
  [ -z "$handrail_stop" ] || exit 0
done
exit 0
`;

/** What turns a stub started ahead into a step loop (it stays open for the steps). */
export function sessionLoopInput(): string {
  return `${Buffer.byteLength(SESSION_LOOP)}\n${SESSION_LOOP}`;
}

/** One step for the loop: its end marker's nonce, its directory's name, then its environment and argv. */
export function sessionStepInput(nonce: string, dirName: string, env: Record<string, string>, argv: readonly string[]): string {
  return `${nonce} ${dirName}\n${stubInput(env, argv)}`;
}
