#!/usr/bin/env python3
"""Runs the bash blocks of docs/curl.md in order, in ONE bash session, and checks what each one promises.

Usage: curl-cookbook.py DOC        (LEADS_URL, PARTNER_KEY, ... must already be exported; .ci/curl-cookbook.sh does that)

Prints one line per bash block, `PASS curl: <title>` or `FAIL curl: <title> — <what differed>`, then a summary line;
details of a failure (the block's output) go to stderr. Exit status 1 when any block failed.

The document
  - Every ```bash fence is a block; other fences (```json, ```http, ...) are only for the reader.
  - A block's title is the heading above it (with " (2)", " (3)" when a heading holds several blocks).
  - The first `<!-- expect: ... -->` comment after a block (before the next bash block) holds its checks.
    A block without one must still exit 0, as must every block: the last command's status, any failed
    command (an ERR trap; `pipefail` is on) and any curl that did not complete (no answer, bad URL) fail it.

The notation: whitespace-separated terms, each `subject`, `!subject`, `subject=value` or `subject~regex`.
  subjects   status           the HTTP status of every request the block made, in order, comma-joined: 201 or 204,204
             header.NAME      a header of the block's last answer (case-insensitive name)
             json.PATH        the last JSON object or array the block printed (jq's output, a body after the
                              headers of `curl -i`, a body followed by `-w '\n%{http_code}\n'`); `json` is all of it.
                              PATH is dot-separated: member names (a name that holds dots, such as the error key
                              customer.companyName, is matched whole, longest first), array indexes (0, 1, ...),
                              and `*` for every element (each must match; none at all fails).
             out              everything the block printed on stdout, trimmed
  operators  subject          present and not null        !subject   absent or null
             =value           equal: value is read as JSON when it parses (true, 12000, [], "Fabrikam Ltd"),
                              else as text; numbers compare by value (15000 = 15000.00)
             ~regex           a Python regex searched for in the text form (JSON compact for non-strings)
  values     run to the next term (a space followed by a subject starts one); a value in '...' is literal text
                              (the quotes are dropped, nothing is read as JSON); "..." is a JSON string
             $NAME ${NAME}    replaced by the shell variable's value after the block ran (LEAD, EXT, ...)
  setup      the block is not run (its values are per machine); its `export NAME=` lines must name exactly the
             variables `dotnet run --project src/LeadsApi` prints (src/LeadsApi/Demo/DemoBanner.cs), each of
             which the runner's environment has.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BANNER = ROOT / "src/LeadsApi/Demo/DemoBanner.cs"
ABSENT = object()


# ---------------------------------------------------------------- the document

def parse_document(text):
    """[{title, code, expect (str or None), line}] for every ```bash fence, in order."""
    blocks, heading, per_heading = [], "(before any heading)", {}
    lines = text.split("\n")
    i = 0
    pending = None          # the last block, waiting for its expect comment
    while i < len(lines):
        line = lines[i]
        fence = re.match(r"^(```+|~~~+)\s*([\w+-]*)", line)
        if fence:
            marker, lang = fence.group(1), fence.group(2).lower()
            start = i
            i += 1
            body = []
            while i < len(lines) and not lines[i].startswith(marker):
                body.append(lines[i])
                i += 1
            i += 1
            if lang in ("bash", "sh", "shell"):
                per_heading[heading] = per_heading.get(heading, 0) + 1
                n = per_heading[heading]
                pending = {"title": heading if n == 1 else f"{heading} ({n})", "code": "\n".join(body) + "\n",
                           "expect": None, "line": start + 1}
                blocks.append(pending)
            continue
        m = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if m:
            heading = re.sub(r"[`*_]", "", m.group(1)).strip()
            i += 1
            continue
        if "<!--" in line:
            j = i
            chunk = line
            while "-->" not in chunk and j + 1 < len(lines):
                j += 1
                chunk += "\n" + lines[j]
            m = re.search(r"<!--\s*expect:(.*?)-->", chunk, re.S)
            if m and pending is not None and pending["expect"] is None:
                pending["expect"] = m.group(1).strip()
            i = j + 1
            continue
        i += 1
    # A second heading with the same text would give two blocks the same title.
    seen = {}
    for b in blocks:
        seen[b["title"]] = seen.get(b["title"], 0) + 1
        if seen[b["title"]] > 1:
            b["title"] += f" #{seen[b['title']]}"
    return blocks


def tokenize(spec):
    """Split an expect comment into terms: a term starts where whitespace is followed by a subject (or `setup`),
    so values may hold spaces, quotes and brackets freely."""
    starts = r"!?(?:(?:status|out|json|setup)(?:[.=~\s]|$)|header\.|[a-z][\w-]*(?:\.[^\s=~]+)?[=~])"   # the last: a misspelled subject
    return [t for t in re.split(r"\s+(?=" + starts + ")", spec.strip()) if t]


TERM = re.compile(r"^(?P<neg>!)?(?P<subject>status|out|json(?:\.[^=~\s]+)?|header\.[A-Za-z0-9-]+)(?:(?P<op>[=~])(?P<value>.*))?$", re.S)


def parse_terms(spec):
    if spec is None:
        return []
    terms = []
    for raw in tokenize(spec):
        if raw == "setup":
            terms.append({"raw": raw, "setup": True})
            continue
        m = TERM.match(raw)
        if not m or (m.group("neg") and m.group("op")):
            raise ValueError(f"not a check: {raw!r}")
        terms.append({"raw": raw, "neg": bool(m.group("neg")), "subject": m.group("subject"),
                      "op": m.group("op"), "value": m.group("value")})
    return terms


# ---------------------------------------------------------------- running

PRELUDE = r'''
set -E -o pipefail
__cb_dir=%(dir)s
__cb_block=0
curl() {   # the real curl, plus its answer's headers and exit status on the side; what it prints is unchanged
  local n
  n=$(( $(cat "$__cb_dir/n.$__cb_block" 2>/dev/null || echo 0) + 1 ))
  echo "$n" > "$__cb_dir/n.$__cb_block"
  printf '%%s\0' "$@" > "$__cb_dir/a.$__cb_block.$n"
  command curl --max-time 30 -D "$__cb_dir/h.$__cb_block.$n" "$@"
  local rc=$?
  echo "$rc" > "$__cb_dir/c.$__cb_block.$n"
  return "$rc"
}
__cb_vars() {
  local v
  for v in $(compgen -v); do
    if [[ $v =~ ^[A-Z][A-Z0-9_]*$ ]]; then printf '%%s=%%s\0' "$v" "${!v}"; fi
  done > "$__cb_dir/vars.$1"
}
'''

BLOCK = r'''
__cb_block=%(n)d
trap 'case $BASH_COMMAND in "command curl "*|"return \"\$rc\""|". \"\$__cb_dir/"*) ;; *) printf "%%s\n" "$BASH_COMMAND" >> "$__cb_dir/fail.%(n)d";; esac' ERR
{ . "$__cb_dir/block.%(n)d.sh"; } > "$__cb_dir/out.%(n)d" 2> "$__cb_dir/err.%(n)d" < /dev/null
echo $? > "$__cb_dir/rc.%(n)d"
trap - ERR
__cb_vars %(n)d
'''


def run_session(blocks, work):
    script = PRELUDE % {"dir": shlex_quote(str(work))}
    for n, b in enumerate(blocks):
        if b["setup"]:
            continue
        (work / f"block.{n}.sh").write_text(b["code"])
        script += BLOCK % {"n": n}
    (work / "session.sh").write_text(script)
    subprocess.run(["bash", str(work / "session.sh")], cwd=str(ROOT), timeout=900, stdin=subprocess.DEVNULL)


def shlex_quote(s):
    return "'" + s.replace("'", "'\"'\"'") + "'"


def read(path, default=""):
    try:
        return path.read_text(errors="replace")
    except FileNotFoundError:
        return default


def parse_headers(text):
    """(status, {lower name: value}) of the last response in a `curl -D` file."""
    status, headers = None, {}
    for line in text.replace("\r", "").split("\n"):
        m = re.match(r"^HTTP/\S+\s+(\d{3})", line)
        if m:
            status, headers = int(m.group(1)), {}
        elif ":" in line and status is not None:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    return status, headers


def last_json(out):
    """The last JSON object or array printed, or ABSENT."""
    decoder = json.JSONDecoder(parse_float=Decimal)
    found, pos = ABSENT, 0
    while pos < len(out):
        m = re.compile(r"[\[{]").search(out, pos)
        if not m:
            break
        try:
            value, end = decoder.raw_decode(out, m.start())
            found, pos = value, end
        except ValueError:
            pos = m.start() + 1
    return found


def describe_call(args):
    method, url = None, None
    for i, a in enumerate(args):
        if a in ("-X", "--request") and i + 1 < len(args):
            method = args[i + 1]
        elif re.match(r"^https?://", a):
            url = a
    if method is None:
        method = "POST" if any(a in ("-d", "--data", "--json", "--data-raw") for a in args) else "GET"
        if "-G" in args or "--get" in args:
            method = "GET"
    if url:
        url = re.sub(r"^https?://[^/]+", "", url)
    return f"{method} {url or '?'}"


def collect(work, n):
    calls = []
    count = int(read(work / f"n.{n}", "0").strip() or 0)
    for k in range(1, count + 1):
        status, headers = parse_headers(read(work / f"h.{n}.{k}"))
        args = read(work / f"a.{n}.{k}").split("\0")[:-1]
        calls.append({"status": status, "headers": headers, "exit": int(read(work / f"c.{n}.{k}", "-1").strip() or -1),
                      "what": describe_call(args)})
    variables = {}
    for pair in read(work / f"vars.{n}").split("\0"):
        if "=" in pair:
            k, _, v = pair.partition("=")
            variables[k] = v
    out = read(work / f"out.{n}")
    return {"calls": calls, "out": out, "err": read(work / f"err.{n}"),
            "rc": int(read(work / f"rc.{n}", "-1").strip() or -1),
            "failed": list(dict.fromkeys(l for l in read(work / f"fail.{n}").split("\n") if l.strip())),
            "json": last_json(out), "vars": variables}


# ---------------------------------------------------------------- checking

def expand(value, variables):
    def sub(m):
        name = m.group(1) or m.group(2)
        if name not in variables:
            raise KeyError(f"${name} is not set after the block")
        return variables[name]
    return re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)", sub, value)


def resolve(value, segments):
    """Every value at the path ([] when the path leads nowhere); `*` fans out."""
    if not segments:
        return [value]
    seg, rest = segments[0], segments[1:]
    if seg == "*":
        items = value if isinstance(value, list) else list(value.values()) if isinstance(value, dict) else []
        out = []
        for item in items:
            out.extend(resolve(item, rest))
        return out if items else []
    if isinstance(value, list):
        if re.fullmatch(r"\d+", seg) and int(seg) < len(value):
            return resolve(value[int(seg)], rest)
        return [ABSENT]
    if isinstance(value, dict):
        for k in range(len(segments), 0, -1):
            key = ".".join(segments[:k])
            if key in value:
                return resolve(value[key], segments[k:])
        return [ABSENT]
    return [ABSENT]


def text_of(v):
    if v is ABSENT:
        return "(absent)"
    if isinstance(v, str):
        return v
    return json.dumps(v, default=str, separators=(",", ":"), ensure_ascii=False)


def normal(v):
    """Numbers by value, so 15000 and 15000.00 compare equal."""
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return v
    if isinstance(v, (int, float, Decimal)):
        return Decimal(str(v)).normalize()
    if isinstance(v, list):
        return [normal(x) for x in v]
    if isinstance(v, dict):
        return {k: normal(x) for k, x in v.items()}
    return v


def equal(actual, expected):
    if expected.startswith("'") and expected.endswith("'") and len(expected) >= 2:
        return actual == expected[1:-1]
    try:
        parsed = json.loads(expected, parse_float=Decimal)
        if actual is not ABSENT and normal(actual) == normal(parsed):
            return True
    except ValueError:
        pass
    return isinstance(actual, str) and actual == expected


def matches(actual, regex):
    if regex.startswith("'") and regex.endswith("'") and len(regex) >= 2:
        regex = regex[1:-1]
    return actual is not ABSENT and re.search(regex, text_of(actual)) is not None


def check_term(term, result):
    """None when the term holds, else what differed."""
    subject, op, neg = term["subject"], term["op"], term["neg"]
    value = expand(term["value"], result["vars"]) if op else None
    if subject == "status":
        actual = [",".join(str(c["status"] or "000") for c in result["calls"]) if result["calls"] else ABSENT]
    elif subject == "out":
        actual = [result["out"].strip()]
    elif subject.startswith("header."):
        last = result["calls"][-1] if result["calls"] else None
        actual = [last["headers"].get(subject[7:].lower(), ABSENT) if last else ABSENT]
    else:
        if result["json"] is ABSENT:
            return f"{subject}: the block printed no JSON"
        path = subject[5:]
        actual = resolve(result["json"], path.split(".") if path else [])
        if not actual:
            return f"{subject}: no elements"
    for a in actual:
        missing = a is ABSENT or a is None
        if neg:
            if not missing:
                return f"{subject} is {text_of(a)[:120]}, expected it absent"
        elif op is None:
            if missing:
                return f"{subject} is {'absent' if a is ABSENT else 'null'}"
        elif op == "=":
            if not equal(a, value):
                return f"{subject} is {text_of(a)[:160]}, expected {value[:160]}"
        elif not matches(a, value):
            return f"{subject} is {text_of(a)[:160]}, expected ~ {value[:160]}"
    return None


def check_setup(block):
    """The setup block's export names are what the service prints and what this runner was given."""
    names = re.findall(r"^\s*export\s+([A-Za-z_][A-Za-z0-9_]*)=", block["code"], re.M)
    printed = re.findall(r"^\s*export\s+([A-Za-z_][A-Za-z0-9_]*)=", read(BANNER), re.M)
    if not printed:
        return f"found no export lines in {BANNER.relative_to(ROOT)}"
    if names != printed:
        return f"the block exports {' '.join(names) or 'nothing'}; `dotnet run` prints {' '.join(printed)}"
    unset = [n for n in names if not os.environ.get(n)]
    if unset:
        return f"the runner's environment lacks {' '.join(unset)}"
    return None


def main():
    if len(sys.argv) != 2:
        print(__doc__.split("\n\n")[0], file=sys.stderr)
        return 2
    doc = Path(sys.argv[1])
    started = time.monotonic()
    blocks = parse_document(doc.read_text())
    if not blocks:
        print(f"FAIL curl: {doc} — no bash blocks")
        return 1
    bad_spec = []
    for b in blocks:
        try:
            b["terms"] = parse_terms(b["expect"])
        except ValueError as e:
            b["terms"], b["spec_error"] = [], str(e)
            bad_spec.append(b)
        b["setup"] = any(t.get("setup") for t in b["terms"])

    work = Path(tempfile.mkdtemp(prefix="curl-cookbook."))
    try:
        run_session(blocks, work)
        failed = checks = 0
        for n, b in enumerate(blocks):
            problems = []
            if b.get("spec_error"):
                problems.append(f"expect comment: {b['spec_error']}")
            if b["setup"]:
                checks += 1
                p = check_setup(b)
                if p:
                    problems.append(p)
                result = None
            else:
                result = collect(work, n)
                checks += 1            # it ran cleanly
                if result["rc"] != 0:
                    problems.append(f"the block exited {result['rc']}")
                for c in result["calls"]:
                    if c["exit"] != 0:
                        problems.append(f"curl exited {c['exit']} ({c['what']})")
                for f in result["failed"]:
                    problems.append(f"failed: {f.strip()[:120]}")
                for t in b["terms"]:
                    checks += 1
                    try:
                        p = check_term(t, result)
                    except KeyError as e:
                        p = str(e.args[0])
                    except re.error as e:
                        p = f"{t['raw']}: bad regex ({e})"
                    if p:
                        problems.append(p)
            if problems:
                failed += 1
                print(f"FAIL curl: {b['title']} — {'; '.join(problems)}", flush=True)
                detail = [f"  docs line {b['line']}"]
                if result is not None:
                    detail.append("  requests: " + ", ".join(f"{c['what']} -> {c['status'] or '000'}" for c in result["calls"]))
                    for name in ("out", "err"):
                        text = result[name].strip()
                        if text:
                            shown = text if len(text) <= 3000 else text[:3000] + " ..."
                            detail.append(f"  {name}:\n" + "\n".join("    " + l for l in shown.split("\n")))
                print("\n".join(detail), file=sys.stderr, flush=True)
            else:
                print(f"PASS curl: {b['title']}", flush=True)
        print(f"curl cookbook: {len(blocks) - failed} of {len(blocks)} blocks passed, {checks} checks, "
              f"in {time.monotonic() - started:.1f} s")
        return 1 if failed else 0
    finally:
        if os.environ.get("CURL_COOKBOOK_KEEP"):
            print(f"curl cookbook: kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
