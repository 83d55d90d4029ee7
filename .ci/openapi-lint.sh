#!/usr/bin/env bash
# Lints the checked-in contract with spectral:oas plus the house rules in tests/contract/.spectral.yaml;
# any error or warning fails. Prints and records (in $CI_RESULTS) one PASS/FAIL line.
set -uo pipefail
cd "$(dirname "$0")/../tests/contract"
[ -d node_modules ] || npm ci --no-audit --no-fund >/dev/null 2>&1
if output=$(npx spectral lint ../../openapi/leads-api.v1.json --ruleset .spectral.yaml --fail-severity=warn 2>&1); then
  line="PASS openapi: spectral:oas and house rules, 0 errors, 0 warnings"
else
  echo "$output"
  line="FAIL openapi: spectral reported problems"
fi
echo "$line"
[ -n "${CI_RESULTS:-}" ] && echo "$line" >> "$CI_RESULTS"
[[ $line == PASS* ]]
