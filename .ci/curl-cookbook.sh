#!/usr/bin/env bash
# The curl cookbook against a live service. Starts a throwaway PostgreSQL and the service (.ci/live-service.sh,
# which exports LEADS_URL PARTNER_KEY READER_KEY SENDER_KEY PLATFORM_KEY PARTNER_ID, as `dotnet run` prints them), runs every
# ```bash block of docs/curl.md in order in one bash session, and checks each block's answer against the
# `<!-- expect: ... -->` comment after it: the statuses, then jq expressions (see .ci/curl-cookbook-run.sh). One
# line per block, `PASS curl: <title>` or `FAIL curl: <title> — <what differed>`, also appended to $CI_RESULTS
# when set; the failing block's output goes to stderr. Exits 1 when any block failed. Stops what it started.
#   LEADS_CI_DATABASE    a PostgreSQL connection string to use instead of a throwaway cluster (see live-service.sh)
#   LEADS_CI_URL         a service that runs already (several instances behind nginx: bench/scale.sh), with LEADS_CI_DATABASE to seed it
#   CURL_COOKBOOK_DOC    another document to run (default docs/curl.md)
#   CURL_COOKBOOK_KEEP   set: keep the session's working files (each block's output, headers)
set -uo pipefail
cd "$(dirname "$0")/.."
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
doc=${CURL_COOKBOOK_DOC:-docs/curl.md}
started=$SECONDS
lines=$(mktemp)

record() {   # record <line>: print it, and keep it in $CI_RESULTS when set
  echo "$1"
  [ -z "${CI_RESULTS:-}" ] || echo "$1" >> "$CI_RESULTS"
}

# shellcheck source=live-service.sh
. .ci/live-service.sh
cleanup() { stop_live_service; rm -f "$lines"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

if ! command -v jq >/dev/null && command -v apt-get >/dev/null; then
  echo "installing jq for the checks"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq jq >/dev/null) || true
fi
for tool in curl jq python3 openssl; do
  command -v "$tool" >/dev/null || { record "FAIL curl: setup — $tool is not installed"; exit 1; }
done

if ! start_live_service >"$lines" 2>&1; then
  record "FAIL curl: start the live service — $(grep -v '^\s*$' "$lines" | tail -1 | cut -c1-300)"
  sed 's/^/  /' "$lines" | tail -30 >&2
  exit 1
fi

bash .ci/curl-cookbook-run.sh "$doc" | tee "$lines" | while IFS= read -r line; do
  case $line in
    PASS\ curl:*|FAIL\ curl:*) record "$line" ;;
    *) echo "$line" ;;
  esac
done
status=${PIPESTATUS[0]}

if [ "$status" -ne 0 ] && ! grep -q '^FAIL ' "$lines"; then
  record "FAIL curl: run $doc — the runner exited $status"
fi
echo "curl cookbook: done in $((SECONDS - started)) s (service start included)"
[ "$status" -eq 0 ]
