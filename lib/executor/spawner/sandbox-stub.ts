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
