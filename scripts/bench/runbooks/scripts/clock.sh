#!/bin/sh
# Line 1: the wall-clock time this script started, in nanoseconds since the epoch.
# Line 2: when the executor created the run's work directory and finished writing this script
# there (birth time of the directory, modification time of the script), in seconds.
# Then it stays alive for a while, so the first line travels the same path as a line from a
# long-running runbook (the process has not exited).
date +%s%N
echo "$(stat -c %.9W "$(dirname "$0")") $(stat -c %.9Y "$0")"
sleep "$1"
