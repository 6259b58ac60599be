#!/usr/bin/env bash
# Demo output for the viewer: "line <i>/<n>: ..." with ANSI colours; warnings and errors on stderr.
# The line number stays outside the colour codes so a search for "line 42/" finds it.
set -euo pipefail

lines="${1:-1000}"
if ! [[ "$lines" =~ ^[0-9]+$ ]]; then
  echo "lines must be a whole number, got: $lines" >&2
  exit 2
fi

echo "generating ${lines} lines (run ${HANDRAIL_RUN_ID:-manual})"
awk -v n="$lines" 'BEGIN {
  esc = sprintf("%c", 27)
  green = esc "[32m"; yellow = esc "[33m"; red = esc "[1;31m"; cyan = esc "[36m"; dim = esc "[2m"; reset = esc "[0m"
  split("api web worker scheduler billing search", services, " ")
  for (i = 1; i <= n; i++) {
    service = services[(i % 6) + 1]
    latency = (i * 37) % 250
    # Flushing stdout before each stderr line keeps the two streams roughly in order.
    if (i % 97 == 0 || i % 1000 == 0) fflush("/dev/stdout")
    if (i % 1000 == 0) {
      printf "line %d/%d: %sERROR%s %s request failed after %dms %s(simulated)%s\n", i, n, red, reset, service, latency, dim, reset > "/dev/stderr"
    } else if (i % 97 == 0) {
      printf "line %d/%d: %sWARN%s  %s slow response: %dms\n", i, n, yellow, reset, service, latency > "/dev/stderr"
    } else if (i % 10 == 0) {
      printf "line %d/%d: %sDEBUG%s %s cache hit ratio %d%%\n", i, n, cyan, reset, service, 50 + i % 50
    } else {
      printf "line %d/%d: %sINFO%s  %s handled request in %dms\n", i, n, green, reset, service, latency
    }
  }
}'
echo "done: ${lines} lines generated"
