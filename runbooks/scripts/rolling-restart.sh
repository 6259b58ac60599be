#!/usr/bin/env bash
# Rolling restart of a SIMULATED service: nothing real is touched; it prints
# what it does and sleeps to look like work. Dry run (the default) only plans.
set -euo pipefail

service="${HANDRAIL_PARAM_SERVICE:?service is required}"
environment="${HANDRAIL_PARAM_ENVIRONMENT:?environment is required}"
instances="${HANDRAIL_PARAM_INSTANCES:-3}"
batch_size="${HANDRAIL_PARAM_BATCH_SIZE:-1}"
dry_run="${HANDRAIL_PARAM_DRY_RUN:-true}"

batches=$(( (instances + batch_size - 1) / batch_size ))
restarted=0
trap 'echo "interrupted: ${restarted}/${instances} instances restarted; the rest were left untouched" >&2; exit 143' TERM INT

echo "rolling restart of ${service} in ${environment}: ${instances} instance(s), batch size ${batch_size}, ${batches} batch(es)"

if [[ "$dry_run" == "true" ]]; then
  for (( b = 0; b < batches; b++ )); do
    first=$(( b * batch_size + 1 ))
    last=$(( first + batch_size - 1 > instances ? instances : first + batch_size - 1 ))
    names=()
    for (( i = first; i <= last; i++ )); do names+=("${service}-${i}"); done
    echo "DRY RUN: would restart batch $(( b + 1 ))/${batches}: ${names[*]}"
  done
  echo "DRY RUN: nothing was restarted; run again with dry_run=false to apply"
  exit 0
fi

if [[ "$environment" == "production" ]]; then
  echo "production: each instance is drained before its restart and must report healthy before the next batch"
fi

for (( b = 0; b < batches; b++ )); do
  first=$(( b * batch_size + 1 ))
  last=$(( first + batch_size - 1 > instances ? instances : first + batch_size - 1 ))
  echo "batch $(( b + 1 ))/${batches}"
  for (( i = first; i <= last; i++ )); do echo "draining ${service}-${i} ..."; done
  sleep 0.5
  for (( i = first; i <= last; i++ )); do echo "restarting ${service}-${i}"; done
  sleep 0.3
  for (( i = first; i <= last; i++ )); do
    echo "${service}-${i} healthy"
    restarted=$(( restarted + 1 ))
  done
done

echo "summary: restarted ${restarted}/${instances} ${service} instance(s) in ${environment} in ${batches} batch(es); all healthy"
