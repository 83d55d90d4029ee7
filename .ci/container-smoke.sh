#!/usr/bin/env bash
# Container smoke test. Builds the image and runs it the way compose.yaml does, with plain
# `docker run` (no compose plugin assumed): PostgreSQL and the API on one user-defined network, the
# API waiting for a healthy database. Then it onboards a partner and a sender with the image's admin
# commands, drives leads through their lifecycle with curl, and checks that the container runs as a
# non-root user and reports healthy. One line per check, `PASS <name>` or `FAIL <name>`, also
# appended to $CI_RESULTS when set; exit 1 when any check failed. Removes what it started (the image
# stays, for the build cache). Without a Docker daemon it says so and exits 0.
#   LEADS_IMAGE   tag to build and test (default leadsapi:smoke)
set -uo pipefail
cd "$(dirname "$0")/.."

if ! docker info >/dev/null 2>&1; then
  echo "container smoke: skipped, no Docker daemon answers (docker info failed)"
  exit 0
fi

image=${LEADS_IMAGE:-leadsapi:smoke}
run=leadsapi-smoke-$$                      # prefix of every name this run creates
net=$run-net db=$run-db api=$run-api vol=$run-pgdata
# The same settings as compose.yaml; the password is a throwaway for this run.
pg_password=smoke-$RANDOM$RANDOM
conn="Host=$db;Database=leads;Username=leads;Password=$pg_password"
tmp=$(mktemp -d)
failed=0

cleanup() {
  docker rm -f "$api" "$db" >/dev/null 2>&1
  docker volume rm "$vol" >/dev/null 2>&1
  docker network rm "$net" >/dev/null 2>&1
  rm -rf "$tmp"
}
trap cleanup EXIT

report() {                                  # report <PASS|FAIL> <name> [detail for the log]
  [ "$1" = PASS ] || failed=1
  echo "$1 container: $2"
  [ -z "${CI_RESULTS:-}" ] || echo "$1 container: $2" >> "$CI_RESULTS"
  [ "$1" = PASS ] || [ -z "${3:-}" ] || printf '  %s\n' "${3:0:2000}" >&2
}
abort() {                                   # a failed step that the rest depends on
  report FAIL "$1" "${2:-}"
  docker logs "$api" 2>&1 | tail -20 >&2
  exit 1
}

# ---- build -------------------------------------------------------------------------------------
# BuildKit: the buildx plugin where installed; otherwise a client older than 23.0 has it built in
# (DOCKER_BUILDKIT=1). On the build machine that is /usr/bin/docker, next to a newer client without buildx.
build=()
if docker buildx version >/dev/null 2>&1; then
  build=(docker buildx build --load)
else
  for client in docker /usr/bin/docker; do
    v=$("$client" version --format '{{.Client.Version}}' 2>/dev/null) || continue
    if [ "${v%%.*}" -lt 23 ]; then build=(env DOCKER_BUILDKIT=1 "$client" build); break; fi
  done
fi
[ ${#build[@]} -gt 0 ] || abort build "no BuildKit: install the docker buildx plugin"
start=$SECONDS
# NUGET_CERT_REVOCATION_MODE passes through only when set here (see the Dockerfile).
"${build[@]}" --build-arg NUGET_CERT_REVOCATION_MODE -t "$image" . >"$tmp/build.log" 2>&1 \
  || abort build "$(tail -30 "$tmp/build.log")"
report PASS build
echo "  image $image: built in $((SECONDS - start)) s, $(docker image inspect -f '{{.Size}}' "$image" | awk '{printf "%.0f MB", $1/1e6}')"

# ---- database and API, as compose.yaml ---------------------------------------------------------
docker network create "$net" >/dev/null || abort network
docker run -d --name "$db" --network "$net" -p 127.0.0.1::5432 -v "$vol:/var/lib/postgresql/data" \
  -e POSTGRES_DB=leads -e POSTGRES_USER=leads -e POSTGRES_PASSWORD="$pg_password" \
  --health-cmd 'pg_isready -U leads -d leads -h localhost' --health-interval 2s --health-timeout 3s --health-retries 30 \
  postgres:15-bookworm >/dev/null || abort db-start
health() { docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{end}}' "$1" 2>/dev/null; }
for _ in $(seq 60); do [ "$(health "$db")" = healthy ] && break; sleep 1; done
[ "$(health "$db")" = healthy ] || abort db-healthy "$(docker logs "$db" 2>&1 | tail -10)"
report PASS db-healthy

docker run -d --name "$api" --network "$net" -p 127.0.0.1::8080 \
  -e ConnectionStrings__Leads="$conn" -e Database__Migrate=true "$image" >/dev/null \
  || abort api-start
port=$(docker port "$api" 8080/tcp | head -1 | sed 's/.*://')
base=http://127.0.0.1:$port
for _ in $(seq 90); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/health/ready")" = 200 ] && break
  [ "$(docker inspect -f '{{.State.Running}}' "$api")" = true ] || break
  sleep 1
done
[ "$(curl -s -o /dev/null -w '%{http_code}' "$base/health/ready")" = 200 ] || abort api-ready
report PASS api-ready

# ---- onboarding with the image's admin commands ------------------------------------------------
admin() { docker run --rm --network "$net" -e ConnectionStrings__Leads="$conn" "$image" admin "$@" 2>&1; }
field() { sed -n 's/.*"'"$1"'":"\([^"]*\)".*/\1/p' <<<"$2"; }   # a string member of a one-line JSON object
out=$(admin create-partner --name "Smoke Partner")
partner_id=$(field partnerId "$out") partner_key=$(field apiKey "$out")
[ -n "$partner_id" ] && [ -n "$partner_key" ] || abort create-partner "$out"
report PASS create-partner
out=$(admin create-sender --name "Smoke Marketing" --kind platformMarketing)
sender_key=$(field apiKey "$out")
[ -n "$sender_key" ] || abort create-sender "$out"
report PASS create-sender

# ---- one lead through its lifecycle ------------------------------------------------------------
call() {                                    # call <method> <path> <key> [json]: sets $status, $body, $location
  local args=(-s -o "$tmp/body" -D "$tmp/headers" -w '%{http_code}' -X "$1" "$base$2" -H "Authorization: Bearer $3")
  [ $# -lt 4 ] || args+=(-H "Content-Type: application/json" -d "$4")
  status=$(curl "${args[@]}")
  body=$(cat "$tmp/body")
  location=$(tr -d '\r' <"$tmp/headers" | sed -n 's/^[Ll]ocation: *//p')
}
expect() {                                  # expect <name> <status> [text the body must contain]
  if [ "$status" = "$2" ] && [[ "$body" == *"${3:-}"* ]]; then report PASS "$1"
  else report FAIL "$1" "expected $2 ${3:-}, got $status $body"; fi
}
new_lead() {
  call POST /v1/leads "$sender_key" '{ "partnerId": "'"$partner_id"'", "type": "customerInquiry",
    "customer": { "companyName": "Fabrikam Ltd", "contactName": "Ana Silva", "email": "ana@fabrikam.example" },
    "need": "Move 40 mailboxes", "contactRequested": true }'
}

new_lead; expect lead-create 201 '"status":"received"'; lead=$location
[ -n "$lead" ] || abort lead-location "no Location header"
call POST "$lead/accept" "$partner_key" '{ "dealName": "Fabrikam move", "estimatedValue": { "amount": 12000.00, "currency": "EUR" },
  "estimatedCloseDate": "2027-01-31", "contacts": [ { "name": "Li Wei", "email": "li@contoso.example" } ] }'
expect lead-accept 200 '"status":"accepted"'
call PATCH "$lead" "$partner_key" '{ "estimatedValue": { "amount": 15000.00, "currency": "EUR" }, "notes": "bigger" }'
expect deal-edit 200 '"notes":"bigger"'
call POST "$lead/team" "$partner_key" '{ "name": "Sam Shaw", "email": "sam@contoso.example" }'
expect team-add 201 '"name":"Sam Shaw"'
call POST "$lead/won" "$partner_key" '{ "finalValue": { "amount": 11500.00, "currency": "EUR" }, "closedOn": "'"$(date -u +%F)"'" }'
expect lead-won 200 '"status":"won"'
new_lead; lead2=$location
call POST "$lead2/decline" "$partner_key" '{ "reason": "notAFit", "notes": "not our market" }'
expect lead-decline 200 '"status":"declined"'
call POST "$lead/decline" "$partner_key" '{ "reason": "notAFit" }'
expect illegal-transition 409 '"code":"invalid-transition"'

# ---- the container itself ----------------------------------------------------------------------
uid=$(docker exec "$api" sed -n 's/^Uid:[[:space:]]*\([0-9]*\).*/\1/p' /proc/1/status)
if [ -n "$uid" ] && [ "$uid" != 0 ]; then report PASS non-root; else report FAIL non-root "pid 1 runs as uid '$uid'"; fi
# The first HEALTHCHECK probe runs one interval (30 s) after the start; allow for a second one.
for _ in $(seq 70); do [ "$(health "$api")" = healthy ] && break; sleep 1; done
if [ "$(health "$api")" = healthy ]; then report PASS healthy
else report FAIL healthy "health: $(docker inspect -f '{{json .State.Health}}' "$api")"; fi

exit "$failed"
