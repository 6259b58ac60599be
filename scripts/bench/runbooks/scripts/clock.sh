#!/bin/sh
# Line 1: the wall-clock time this script started, in nanoseconds since the epoch. Then it stays
# alive for a while, so the first line travels the same path as a line from a long-running runbook
# (the process has not exited).
date +%s%N
sleep "$1"
