#!/usr/bin/env bash
# The benchmark harness end to end in its shortest form (bench/run.sh --smoke, about 90 s): it builds, seeds,
# captures the service's SQL and measures every row once. It proves the harness still runs against this
# revision; the figures of a run this short mean nothing (docs/performance.md has the real ones).
set -uo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
if bash bench/run.sh --smoke >"$log" 2>&1; then
  echo "PASS bench: bench/run.sh --smoke measured every row"
  tail -n 12 "$log"
  rm -f "$log"
  exit 0
fi
echo "FAIL bench: bench/run.sh --smoke did not measure every row"
tail -n 60 "$log"
rm -f "$log"
exit 1
