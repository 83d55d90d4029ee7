#!/usr/bin/env python3
"""A PostgreSQL wire-protocol proxy that records round trips.

bench/run.sh points a capture instance of the service at this proxy instead of the server. A round trip
starts when the client sends while it waits for nothing, and ends when the server has answered every Sync
and simple Query of it (ReadyForQuery): messages a client sends together without waiting (Npgsql puts the
pooled connection's reset in front of the next command) are one round trip. For each it appends one line:

    {"t": 1733050000.123, "pid": 4242, "app": "leadsapi", "messages": "QPBDES", "executes": 2}

t is when the round trip ended, pid the backend's process id (from BackendKeyData, to match the server's
log), app the connection's application_name, messages the client's message types in order, executes how
many statements it ran. The PostgreSQL log has the statements and their parameters; this file says which of
them travelled together.

    wire_proxy.py --listen 55432 --upstream 5432 --out /tmp/bench-x/round-trips.jsonl
"""
import argparse
import asyncio
import json
import struct
import time

SSL_REQUEST = 80877103
GSSENC_REQUEST = 80877104
CANCEL_REQUEST = 80877102


class Connection:
    def __init__(self, out):
        self.out = out
        self.pid = None
        self.app = ""
        self.trip = None  # the client's messages since it last waited for nothing
        self.outstanding = 0  # Syncs and Queries the server has not answered with ReadyForQuery yet
        self.awaiting_one_byte = 0  # SSL/GSS requests: the server answers with one bare byte

    def started(self):
        self.outstanding = 1  # the server's ReadyForQuery that ends the start-up

    def client_message(self, kind):
        if self.trip is None:
            self.trip = []
        self.trip.append(kind)
        if kind in ("S", "Q"):
            self.outstanding += 1

    def server_message(self, kind):
        if kind != "Z":
            return
        self.outstanding -= 1
        if self.outstanding == 0 and self.trip:
            record = {
                "t": time.time(),
                "pid": self.pid,
                "app": self.app,
                "messages": "".join(self.trip),
                "executes": sum(1 for k in self.trip if k in ("E", "Q")),
            }
            self.out.write(json.dumps(record) + "\n")
            self.out.flush()
            self.trip = None


async def pump_client(reader, writer, conn):
    """Client to server: untyped start-up packets first, then typed messages."""
    started = False
    buffer = b""
    while True:
        chunk = await reader.read(65536)
        if not chunk:
            break
        # Parse before forwarding: the server's one-byte answer to an SSL request must find the counter set.
        buffer += chunk
        while True:
            if not started:
                if len(buffer) < 8:
                    break
                length, code = struct.unpack("!ii", buffer[:8])
                if len(buffer) < length:
                    break
                payload, buffer = buffer[:length], buffer[length:]
                if code in (SSL_REQUEST, GSSENC_REQUEST):
                    conn.awaiting_one_byte += 1
                elif code == CANCEL_REQUEST:
                    pass
                else:
                    parts = payload[8:].split(b"\0")
                    params = dict(zip(parts[0::2], parts[1::2]))
                    conn.app = params.get(b"application_name", b"").decode("utf-8", "replace")
                    conn.started()
                    started = True
            else:
                if len(buffer) < 5:
                    break
                kind = chr(buffer[0])
                (length,) = struct.unpack("!i", buffer[1:5])
                if len(buffer) < 1 + length:
                    break
                buffer = buffer[1 + length:]
                conn.client_message(kind)
        writer.write(chunk)
        await writer.drain()
    writer.close()


async def pump_server(reader, writer, conn):
    """Server to client: BackendKeyData (the backend's pid) and ReadyForQuery (a round trip's end)."""
    buffer = b""
    while True:
        chunk = await reader.read(65536)
        if not chunk:
            break
        # Parse before forwarding: the client's next round trip must find this one closed.
        buffer += chunk
        while buffer:
            if conn.awaiting_one_byte:
                conn.awaiting_one_byte -= 1
                buffer = buffer[1:]
                continue
            if len(buffer) < 5:
                break
            kind = chr(buffer[0])
            (length,) = struct.unpack("!i", buffer[1:5])
            if len(buffer) < 1 + length:
                break
            if kind == "K":
                (conn.pid,) = struct.unpack("!i", buffer[5:9])
            buffer = buffer[1 + length:]
            conn.server_message(kind)
        writer.write(chunk)
        await writer.drain()
    writer.close()


async def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", type=int, required=True)
    parser.add_argument("--upstream", type=int, required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    out = open(args.out, "a", encoding="utf-8")

    async def serve(client_reader, client_writer):
        conn = Connection(out)
        try:
            server_reader, server_writer = await asyncio.open_connection("127.0.0.1", args.upstream)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(
            pump_client(client_reader, server_writer, conn),
            pump_server(server_reader, client_writer, conn),
            return_exceptions=True,
        )

    server = await asyncio.start_server(serve, "127.0.0.1", args.listen)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
