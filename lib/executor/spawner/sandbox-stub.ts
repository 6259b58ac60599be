/**
 * The first process of a sandbox started ahead of its run: it waits for the run's argv, environment
 * and directory as one JSON document on stdin, then starts it with the sandbox's stdout and stderr,
 * and ends as the run ends (with its exit code, or killed by the same signal). It ignores the
 * polite signals itself, so a cancel's SIGTERM reaches the run and the grace period is the run's.
 * Plain CommonJS for `node -e`: it runs as the run user, who cannot read Handrail's files.
 */
export const SANDBOX_STUB = `
const { spawn } = require("node:child_process");
for (const name of ["SIGTERM", "SIGINT", "SIGHUP"]) process.on(name, () => undefined);
let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (data) => { input += data; });
process.stdin.on("end", () => {
  if (!input) process.exit(0);
  const { argv, env, cwd } = JSON.parse(input);
  const child = spawn(argv[0], argv.slice(1), { cwd, env, stdio: ["ignore", "inherit", "inherit"] });
  child.on("error", (error) => { process.stderr.write("could not start the process: " + error.message + "\\n"); process.exit(127); });
  child.on("exit", (code, signal) => {
    if (!signal) process.exit(code === null ? 1 : code);
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  });
});
`;
