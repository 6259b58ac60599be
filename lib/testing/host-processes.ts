import fs from "node:fs";

/**
 * Host pids of live (not zombie) processes whose command line contains a marker. A run's own pids
 * mean nothing outside its PID namespace, so tests find a run's processes by what they run.
 */
export function liveProcessesWith(marker: string): number[] {
  const found: number[] = [];
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${name}/cmdline`, "utf8");
      const stat = fs.readFileSync(`/proc/${name}/stat`, "utf8");
      const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
      if (cmdline.includes(marker) && state !== "Z" && Number(name) !== process.pid) found.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}
