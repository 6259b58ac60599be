#!/usr/bin/env bash
# Simulated health check: prints a line per check and sleeps between them, so
# live output streaming is visible. Touches nothing real.
set -euo pipefail

service="${HANDRAIL_PARAM_SERVICE:-api}"
checks="${HANDRAIL_PARAM_CHECKS:-3}"
delay="${HANDRAIL_PARAM_DELAY:-1}"
warn_at=$(( (checks + 1) / 2 ))

echo "health check for ${service}: ${checks} checks, ${delay}s apart (run ${HANDRAIL_RUN_ID:-manual})"
for (( i = 1; i <= checks; i++ )); do
  latency=$(( 8 + (i * 7 + ${#service} * 3) % 23 ))
  echo "check ${i}/${checks}: ${service} responded in ${latency}ms"
  if (( i == warn_at )); then
    echo "warning: ${service} p99 latency above 250ms" >&2
  fi
  if (( i < checks )); then
    sleep "$delay"
  fi
done
echo "all ${checks} checks passed"
