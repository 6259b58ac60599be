/** Where a new runbook starts: valid as it stands, showing each part of the format once; no description, so none is saved that nobody wrote (the form shows a hint instead). */
export const NEW_RUNBOOK_TEMPLATE = `slug: my-runbook
title: My runbook
owner: platform
tags: []
risk: low
timeout: 5m
parameters:
  - name: service
    type: string
    required: true
    description: The service to act on.
    pattern: "[a-z0-9-]+"
script:
  language: bash
  content: |
    set -euo pipefail
    echo "Checking $1"
args:
  - "{{service}}"
`;
