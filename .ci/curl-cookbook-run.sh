#!/usr/bin/env bash
# Runs the ```bash blocks of a document (docs/curl.md) in order, in this one bash session, and checks what each
# block promises. LEADS_URL, PARTNER_KEY, ... must be exported already (.ci/curl-cookbook.sh does that).
# Prints `PASS curl: <title>` or `FAIL curl: <title> — <what differed>` per block (the title is the heading above
# it, with " (2)" for a heading's second block), the failing block's output on stderr, then a summary line.
#
# A block passes when it exits 0 with no failed command on the way (an ERR trap; pipefail is on) and the
# first `<!-- expect: ... -->` comment after it holds. Its first line lists the HTTP status of every request
# the block made, in order (`201`, `204 204 200`; nothing after `expect:` checks none). Each further line
# is a jq expression that must be true (jq -e), given
#   .          the last JSON object or array the block printed (a body after `curl -i` headers or before a
#              `-w '\n%{http_code}\n'` status line), else null
#   $out       all the block printed on stdout, without its final line breaks
#   $headers   the headers of the block's last response, names in lower case: $headers["content-type"]
#   $status    the statuses as a list of numbers
#   env.NAME   a shell variable after the block (LEAD, EXT, ...)
# `<!-- expect: setup -->` marks the export lines: not run, but they must name exactly the variables that
# `dotnet run` prints (src/LeadsApi/Demo/DemoBanner.cs), each of which this session has.
# A block may start a process in the background (the webhook receiver); whatever is still running when the run
# ends, a failed block's leftovers included, is stopped.
# CURL_COOKBOOK_KEEP set: keep the working files (each block's code, output and headers).
set -o pipefail
_cb_doc=${1:?usage: curl-cookbook-run.sh DOC}
_cb=$(mktemp -d /tmp/curl-cookbook.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null
  if [ -n "${CURL_COOKBOOK_KEEP:-}" ]; then echo "curl cookbook: kept $_cb" >&2; else rm -rf "$_cb"; fi' EXIT
_cb_started=$SECONDS

# Split the document: b.N the code, t.N the title, l.N its line, e.N the expect comment (statuses, then checks).
awk -v dir="$_cb" '
  fence && /^(```|~~~)/ { fence = 0; next }
  fence { if (bash) print > (dir "/b." n); next }
  /^(```|~~~)/ {
    fence = 1; bash = ($0 ~ /^(```|~~~) *(bash|sh|shell) *$/)
    if (bash) { n++; k[h]++; printf "" > (dir "/b." n); print h (k[h] > 1 ? " (" k[h] ")" : "") > (dir "/t." n); print NR > (dir "/l." n); open = 1 }
    next
  }
  /^#+ / { h = $0; sub(/^#+ +/, "", h); gsub(/[`*_]/, "", h); next }
  open && /^<!-- expect:/ { open = 0; inexp = 1; sub(/^<!-- expect: */, "") }
  inexp { last = sub(/ *--> *$/, ""); print > (dir "/e." n); if (last) inexp = 0 }
  END { print n + 0 > (dir "/count") }
' "$_cb_doc"
_cb_blocks=$(cat "$_cb/count")
[ "$_cb_blocks" -gt 0 ] || { echo "FAIL curl: $_cb_doc — no bash blocks"; exit 1; }

# The real curl, plus each answer's headers on the side; what it prints is unchanged.
echo 0 > "$_cb/calls"
curl() {
  local n; n=$(( $(cat "$_cb/calls") + 1 )); echo "$n" > "$_cb/calls"
  command curl --max-time 30 -D "$_cb/h.$n" "$@"
}

_cb_exports() { sed -n 's/^ *export \([A-Za-z_][A-Za-z0-9_]*\)=.*/\1/p' "$1" | xargs; }
_cb_failed=0 _cb_checks=0
for ((_cb_i = 1; _cb_i <= _cb_blocks; _cb_i++)); do
  _cb_title=$(cat "$_cb/t.$_cb_i") _cb_problems=() _cb_expect=$(head -1 "$_cb/e.$_cb_i" 2>/dev/null)
  ((_cb_checks++))
  if [ "$_cb_expect" = setup ]; then
    _cb_names=$(_cb_exports "$_cb/b.$_cb_i") _cb_printed=$(_cb_exports src/LeadsApi/Demo/DemoBanner.cs)
    [ -n "$_cb_printed" ] || _cb_problems+=("found no export lines in src/LeadsApi/Demo/DemoBanner.cs")
    [ "$_cb_names" = "$_cb_printed" ] || _cb_problems+=("the block exports ${_cb_names:-nothing}; \`dotnet run\` prints $_cb_printed")
    for _cb_v in $_cb_names; do [ -n "${!_cb_v}" ] || _cb_problems+=("the runner's environment lacks $_cb_v"); done
  else
    _cb_first=$(( $(cat "$_cb/calls") + 1 ))
    # Every variable a block sets is exported, so that the checks can read it as env.NAME.
    set -a -E
    trap 'case $BASH_COMMAND in ". "*) ;; *) printf "%s\n" "$BASH_COMMAND" >> "$_cb/failed.$_cb_i" ;; esac' ERR
    . "$_cb/b.$_cb_i" > "$_cb/out.$_cb_i" 2> "$_cb/err.$_cb_i" < /dev/null
    _cb_rc=$?
    trap - ERR
    set +a +E
    [ "$_cb_rc" -eq 0 ] || _cb_problems+=("the block exited $_cb_rc")
    [ ! -s "$_cb/failed.$_cb_i" ] || _cb_problems+=("failed: $(sort -u "$_cb/failed.$_cb_i" | cut -c1-120 | paste -sd '|')")
    _cb_status=() _cb_last=$(cat "$_cb/calls")
    for ((_cb_k = _cb_first; _cb_k <= _cb_last; _cb_k++)); do
      _cb_status+=("$(sed -n 's/^HTTP\/[^ ]* \([0-9][0-9][0-9]\).*/\1/p' "$_cb/h.$_cb_k" 2>/dev/null | tail -1)")
      _cb_status[-1]=${_cb_status[-1]:-000}
    done
    if [ -n "$_cb_expect" ] && [ "$_cb_expect" != "${_cb_status[*]}" ]; then
      _cb_problems+=("status ${_cb_status[*]:-(no request)}, expected $_cb_expect")
    fi
    _cb_headers='{}'
    [ "$_cb_last" -lt "$_cb_first" ] || _cb_headers=$(tr -d '\r' < "$_cb/h.$_cb_last" | jq -Rn '[inputs
      | capture("^(?<k>[A-Za-z0-9-]+):\\s*(?<v>.*)$") | {(.k | ascii_downcase): .v}] | add // {}')
    # The last JSON: the longest tail of the output, from a line that opens an object or array, that parses
    # as JSON values; its last object or array.
    _cb_json=null
    for _cb_k in $(grep -n '^[[{]' "$_cb/out.$_cb_i" | cut -d: -f1); do
      if _cb_v=$(tail -n +"$_cb_k" "$_cb/out.$_cb_i" | jq -cs '[.[] | arrays, objects] | last' 2>/dev/null); then
        _cb_json=$_cb_v; break
      fi
    done
    while IFS= read -r _cb_check; do
      [ -n "${_cb_check// }" ] || continue
      ((_cb_checks++))
      jq -e --arg out "$(cat "$_cb/out.$_cb_i")" --argjson headers "$_cb_headers" \
        --argjson status "[$(IFS=,; echo "${_cb_status[*]}")]" "$_cb_check" <<< "$_cb_json" > /dev/null 2> "$_cb/jq" \
        || _cb_problems+=("not true: $_cb_check$(sed 's/^/ (/; s/$/)/' "$_cb/jq" | head -1)")
    done < <(tail -n +2 "$_cb/e.$_cb_i" 2>/dev/null)
  fi
  [ -n "$_cb_expect" ] && [ "$_cb_expect" != setup ] && ((_cb_checks++))
  if [ ${#_cb_problems[@]} -eq 0 ]; then
    echo "PASS curl: $_cb_title"
  else
    ((_cb_failed++))
    _cb_v=$(printf '; %s' "${_cb_problems[@]}")
    echo "FAIL curl: $_cb_title — ${_cb_v:2}"
    { echo "  docs line $(cat "$_cb/l.$_cb_i")"
      for _cb_f in out err; do
        [ -s "$_cb/$_cb_f.$_cb_i" ] && { echo "  $_cb_f:"; head -c 3000 "$_cb/$_cb_f.$_cb_i" | sed 's/^/    /'; }
      done; } >&2
  fi
done
echo "curl cookbook: $((_cb_blocks - _cb_failed)) of $_cb_blocks blocks passed, $_cb_checks checks, in $((SECONDS - _cb_started)) s"
[ "$_cb_failed" -eq 0 ]
