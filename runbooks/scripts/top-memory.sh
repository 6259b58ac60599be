#!/usr/bin/env bash
# The processes using the most resident memory (RSS).
# Usage: top-memory.sh [COUNT]
set -euo pipefail

count="${1:-${HANDRAIL_PARAM_COUNT:-10}}"

echo "memory on $(uname -n):"
free -h
echo

# Collect first, then trim: piping ps straight into head can SIGPIPE ps.
processes="$(ps -eo pid=,user=,rss=,pmem=,etime=,comm= --sort=-rss)"
echo "top ${count} processes by resident memory:"
printf '%7s  %-12s %9s %6s %12s  %s\n' PID USER RSS %MEM ELAPSED COMMAND
while read -r pid user rss pmem etime comm; do
  printf '%7s  %-12s %9s %6s %12s  %s\n' "$pid" "${user:0:12}" \
    "$(numfmt --from-unit=1024 --to=iec "$rss")" "$pmem" "$etime" "$comm"
done < <(head -n "$count" <<<"$processes")
