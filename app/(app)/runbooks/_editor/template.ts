/** Where a new runbook starts: valid as it stands, and showing each part of the format once. */
export const NEW_RUNBOOK_TEMPLATE = `slug: my-runbook
title: My runbook
description: What it does and when to use it, in a sentence or two.
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
