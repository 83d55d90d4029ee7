#!/usr/bin/env python3
"""Turn the SQL one request sent into a pgbench script that sends the same SQL the same way.

Inputs, both written while bench/run.sh made one request through a capture instance of the service:
  --csvlog       the cluster's csvlog with log_statement = 'all': each statement with its parameters
  --round-trips  wire_proxy.py's JSON lines: which statements travelled in one batch (up to a Sync)
  --since/--until the request's window (epoch seconds)

Output: a pgbench script (--script) in which the statements of one round trip, when there are several, are
one pipeline (\\startpipeline ... \\endpipeline: sent together, as the service sent them), the pgbench -D
definitions of the parameters (--defines, one per line), and a JSON summary (--summary) with the round
trips, the statements and the protocol to use (-M prepared when the service used named statements).

Parameters stay parameters (pgbench variables), with the values the request sent, except for --mode accept,
where every transaction must act on a fresh lead and insert rows with fresh ids:
  * the lead's id (--lead-id) becomes bench.uuid(--lead-tag, :seq) (an array of just that id, ARRAY[...]),
    :seq a number unique per transaction (see the script's first lines), so consecutive transactions walk
    the pre-seeded received leads;
  * every id the request generated (a UUIDv7 stamped inside the window, or a UUID first seen in an INSERT
    that is not one of --known) becomes bench.uuid(100 + k, :seq), the same expression wherever the same
    id appeared, so foreign keys between the inserted rows still hold.
"""
import argparse
import csv
import json
import re
import sys
from datetime import datetime, timezone

UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
PARAM = re.compile(r"\$(\d+) = (NULL|'((?:[^']|'')*)')", re.S)
EXECUTE = re.compile(r"^execute ([^:]*): (.*)$", re.S)
PLACEHOLDER = re.compile(r"\$(\d+)(?!\d)")

# csvlog columns (PostgreSQL 13+)
LOG_TIME, PID, MESSAGE, DETAIL, APPLICATION = 0, 3, 13, 14, 22


def log_time(text):
    # '2026-12-01 12:14:39.816 UTC' (the cluster logs in UTC)
    stamp = datetime.strptime(text.rsplit(" ", 1)[0], "%Y-%m-%d %H:%M:%S.%f")
    return stamp.replace(tzinfo=timezone.utc).timestamp()


def read_statements(path, since):
    """Executed statements per backend pid, in order: (name or None, sql, {n: value or None})."""
    by_pid = {}
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.reader(f):
            if len(row) <= APPLICATION or log_time(row[LOG_TIME]) < since - 0.002:
                continue
            message = row[MESSAGE]
            match = EXECUTE.match(message)
            if match:
                name, sql = match.group(1), match.group(2)
            elif message.startswith("statement: "):
                name, sql = None, message[len("statement: "):]
            else:
                continue
            params = {}
            if row[DETAIL].startswith("parameters: "):
                for p in PARAM.finditer(row[DETAIL]):
                    params[int(p.group(1))] = None if p.group(2) == "NULL" else p.group(3).replace("''", "'")
            by_pid.setdefault(int(row[PID]), []).append((name, sql, params))
    return by_pid


def read_batches(path, since, until, app):
    batches = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            if since <= record["t"] <= until:
                batches.append(record)
    chosen = [b for b in batches if b["app"] == app]
    # A revision that renamed its pool: take every connection but psql's and the background pool's.
    return chosen or [b for b in batches if b["app"] not in ("psql", app + "-background")]


def describe(sql):
    """'SELECT leads.api_keys', 'INSERT leads.events', 'DISCARD ALL': a statement in a few words."""
    words = sql.split()
    table = re.search(r"\b(?:FROM|INTO|UPDATE)\s+([\w.\"]+)", sql, re.I)
    if table and words[0].upper() in ("SELECT", "INSERT", "UPDATE", "DELETE", "WITH"):
        return f"{words[0].upper()} {table.group(1)}"
    return " ".join(words[:2]).upper()


def generated_in_window(value, since, until):
    """A UUIDv7 whose timestamp falls inside the request: an id the request made up."""
    if value is None or not UUID.match(value) or value[14] != "7":
        return False
    millis = int(value.replace("-", "")[:12], 16)
    return since - 0.5 <= millis / 1000 <= until + 0.5


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csvlog", required=True)
    parser.add_argument("--round-trips", required=True)
    parser.add_argument("--since", type=float, required=True)
    parser.add_argument("--until", type=float, required=True)
    parser.add_argument("--app", default="leadsapi")
    parser.add_argument("--mode", choices=["get", "accept"], default="get")
    parser.add_argument("--lead-id", required=True)
    parser.add_argument("--lead-tag", type=int, default=0)
    parser.add_argument("--known", action="append", default=[], help="ids that existed before the request")
    parser.add_argument("--script", required=True)
    parser.add_argument("--defines", required=True)
    parser.add_argument("--summary", required=True)
    parser.add_argument("--transcript", required=True, help="the captured SQL, readable")
    args = parser.parse_args()

    batches = read_batches(args.round_trips, args.since, args.until, args.app)
    statements = read_statements(args.csvlog, args.since)
    if not batches:
        sys.exit("to_pgbench: no round trips recorded in the request's window")

    trips = []
    for batch in batches:
        queue = statements.get(batch["pid"], [])
        if len(queue) < batch["executes"]:
            sys.exit(f"to_pgbench: backend {batch['pid']} sent {batch['executes']} statements, the log has {len(queue)}")
        trip = []
        for name, sql, params in (queue.pop(0) for _ in range(batch["executes"])):
            # A simple Query may hold several statements (Npgsql's reset of a connection that has prepared
            # statements); pgbench sends one statement per command in extended mode, so they are split.
            parts = [p for p in sql.split(";") if p.strip()] if name is None and "'" not in sql else [sql]
            trip += [(name, part, params) for part in parts]
        trips.append(trip)

    lead = args.lead_id.lower()
    known = {k.lower() for k in args.known} | {lead}
    fresh = {}  # generated id -> its tag

    def is_fresh(value, sql):
        if args.mode != "accept" or value is None or not UUID.match(value) or value.lower() in known:
            return False
        return generated_in_window(value, args.since, args.until) or (
            value[14] == "4" and sql.lstrip().upper().startswith("INSERT"))

    defines = []
    lines = []
    if args.mode == "accept":
        lines += [
            "-- each transaction acts on its own pre-seeded lead: seq = first + i * clients + client_id",
            "\\set seq :first + :i * :clients + :client_id",
            "\\set i :i + 1",
        ]
    transcript = []
    for t, trip in enumerate(trips, 1):
        transcript.append(f"-- round trip {t}: {len(trip)} statement(s)")
        if len(trip) > 1:
            lines.append("\\startpipeline")
        for s, (name, sql, params) in enumerate(trip, 1):
            transcript.append(sql.strip() + ";")
            if params:
                transcript.append("--   " + ", ".join(f"${n} = {'NULL' if v is None else repr(v)}" for n, v in sorted(params.items())))

            def substitute(match):
                n = int(match.group(1))
                if n not in params:
                    return match.group(0)
                value = params[n]
                if value is None:
                    return "NULL"
                if args.mode == "accept" and value.lower() == lead:
                    return f"bench.uuid({args.lead_tag}, :seq)"
                if args.mode == "accept" and value.lower() == "{" + lead + "}":
                    return f"ARRAY[bench.uuid({args.lead_tag}, :seq)]"
                if is_fresh(value, sql):
                    tag = fresh.setdefault(value.lower(), 100 + len(fresh))
                    return f"bench.uuid({tag}, :seq)"
                variable = f"t{t}s{s}p{n}"
                defines.append(f"{variable}={value}")
                return f":{variable}"

            # The captured text is one command: pgbench ends a command at a semicolon, so the line breaks go.
            one_line = " ".join(PLACEHOLDER.sub(substitute, sql).split())
            lines.append(one_line + ";")
        if len(trip) > 1:
            lines.append("\\endpipeline")

    named = [name for trip in trips for name, _, _ in trip if name and name != "<unnamed>"]
    summary = {
        "round_trips": len(trips),
        "statements": sum(len(trip) for trip in trips),
        "parses": sum(b["messages"].count("P") for b in batches),
        "syncs": sum(b["messages"].count("S") + b["messages"].count("Q") for b in batches),
        "protocol": "prepared" if named else "extended",
        "batches": [b["messages"] for b in batches],
        "shape": [" + ".join(describe(sql) for _, sql, _ in trip) for trip in trips],
        "generated_ids": len(fresh),
    }
    with open(args.script, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    with open(args.defines, "w", encoding="utf-8") as f:
        f.write("".join(d + "\n" for d in defines))
    with open(args.summary, "w", encoding="utf-8") as f:
        json.dump(summary, f)
    with open(args.transcript, "w", encoding="utf-8") as f:
        f.write("\n".join(transcript) + "\n")
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
