#!/usr/bin/env bash
# What is filling a disk: the largest entries directly under a path.
# Usage: disk-usage.sh PATH [TOP]
set -euo pipefail

target="${1:-/var/log}"
top="${2:-10}"

if [[ ! -e "$target" ]]; then
  echo "error: $target does not exist" >&2
  exit 2
fi

# A run may not be able to write a shared /tmp; its TMPDIR (else its working directory) is its own.
errors="$(mktemp -p "${TMPDIR:-$PWD}")"
trap 'rm -f "$errors"' EXIT

# -x: stay on this filesystem. du exits 1 when it cannot read something; that is
# reported below rather than treated as a failure.
listing="$(du -x -a --max-depth=1 --block-size=1 -- "$target" 2>"$errors" | sort -rn)" || true

skipped=0
if [[ -s "$errors" ]]; then
  skipped=$(wc -l <"$errors")
  sed 's/^du: //; s/^/skipped: /' "$errors" >&2
fi

if [[ -z "$listing" ]]; then
  echo "error: could not measure anything under $target" >&2
  exit 2
fi

total=""
entries=""
while IFS=$'\t' read -r bytes entry; do
  if [[ "$entry" == "$target" && -z "$total" ]]; then
    total="$bytes"
  else
    entries+="${bytes}"$'\t'"${entry}"$'\n'
  fi
done <<<"$listing"

echo "filesystem:"
df -h --output=source,size,used,avail,pcent,target -- "$target" || true
echo
echo "total under ${target}: $(numfmt --to=iec "${total:-0}")"
if [[ -z "$entries" ]]; then
  echo "(no entries below ${target})"
else
  echo "largest ${top} entries:"
  head -n "$top" <<<"${entries%$'\n'}" | while IFS=$'\t' read -r bytes entry; do
    printf '%8s  %s\n' "$(numfmt --to=iec "$bytes")" "$entry"
  done
fi
if (( skipped > 0 )); then
  echo "note: ${skipped} location(s) could not be read (see stderr); sizes may be understated"
fi
