/**
 * The first process of a sandbox started ahead of its run, as the run user: a bash that waits for
 * the run on stdin — the number of environment entries, the entries, then the argv, each ended by a
 * NUL — and execs the command, which so becomes exactly what a cold start would have run (same pid,
 * signals, exit status, stdin from /dev/null). Builtins only between the read and the exec: every
 * fork costs the run milliseconds, and a shell costs the warm-up a few milliseconds of CPU where a
 * Node stub cost tens, taken from the run being dispatched.
 */
export const SANDBOX_STUB = [
  "bash",
  "-c",
  `mapfile -d '' -t handrail_input
[ "\${#handrail_input[@]}" -gt 1 ] || exit 0
handrail_count=\${handrail_input[0]}
unset PATH
for handrail_entry in "\${handrail_input[@]:1:handrail_count}"; do export -- "$handrail_entry"; done
handrail_argv=("\${handrail_input[@]:1+handrail_count}")
unset handrail_input handrail_count handrail_entry
exec </dev/null
exec -- "\${handrail_argv[@]}"`,
];

/** What the spawner writes to the stub's stdin, then closes it. */
export function stubInput(env: Record<string, string>, argv: readonly string[]): string {
  const entries = Object.entries(env).map(([name, value]) => `${name}=${value}`);
  return [String(entries.length), ...entries, ...argv].map((value) => `${value}\0`).join("");
}
