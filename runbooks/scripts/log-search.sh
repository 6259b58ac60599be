#!/usr/bin/env bash
# Search the last N lines of a known log file with an extended regular expression.
# Usage: log-search.sh LOG PATTERN [LINES] [IGNORE_CASE]
# LOG is a name, never a path: only the logs listed below can be read.
# The pattern arrives as one argument and is handed to grep with -e: it is
# never interpreted by a shell.
set -euo pipefail

log="${1:-sample-app}"
pattern="$2"
lines="${3:-200}"
ignore_case="${4:-false}"

case "$log" in
  # Shipped with the runbook (files:) into the run's working directory.
  sample-app) file="$PWD/fixtures/sample-app.log" ;;
  dpkg) file=/var/log/dpkg.log ;;
  apt-history) file=/var/log/apt/history.log ;;
  *)
    echo "error: unknown log \"$log\" (sample-app, dpkg or apt-history)" >&2
    exit 2
    ;;
esac

if [[ ! -e "$file" ]]; then
  echo "error: $file does not exist" >&2
  exit 2
fi
if [[ ! -f "$file" || ! -r "$file" ]]; then
  echo "error: $file is not a readable regular file" >&2
  exit 2
fi

grep_flags=(-E --line-buffered)
if [[ "$ignore_case" == "true" ]]; then
  grep_flags+=(-i)
fi

echo "searching the last ${lines} lines of ${file} for /${pattern}/$([[ "$ignore_case" == "true" ]] && echo i)"
status=0
tail -n "$lines" -- "$file" | grep "${grep_flags[@]}" -e "$pattern" || status=$?
# With pipefail, status is grep's (tail does not fail on a readable file).
case "$status" in
  0) ;;
  1) echo "no matching lines" ;;
  *) echo "error: grep failed (exit $status); is the pattern a valid extended regex?" >&2; exit 2 ;;
esac
