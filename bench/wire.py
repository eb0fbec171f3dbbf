"""HTTP/1.1 over plain sockets to the benchmark's own servers on 127.0.0.1, one request per
connection (`Connection: close`), counting every byte that arrives; blocking and asyncio forms."""

from __future__ import annotations

import asyncio
import gzip
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

HOST = "127.0.0.1"  # the benchmark never talks to anything but its own servers on loopback
TIMEOUT = 30.0


@dataclass(frozen=True)
class Reply:
    status: int
    headers: tuple[tuple[str, str], ...]  # names in lower case, in the order received
    body: bytes  # as transferred (gzip when the server compressed it)
    wire_bytes: int  # status line, headers and body: what crossed the connection

    def header(self, name: str) -> str | None:
        return next((value for key, value in self.headers if key == name), None)

    def all(self, name: str) -> list[str]:
        return [value for key, value in self.headers if key == name]

    @property
    def text(self) -> str:
        body = gzip.decompress(self.body) if self.header("content-encoding") == "gzip" else self.body
        return body.decode("utf-8", errors="replace")


def request_bytes(
    method: str,
    path: str,
    port: int,
    headers: Sequence[tuple[str, str]] = (),
    form: Sequence[tuple[str, str]] | None = None,
) -> bytes:
    """One complete request; a form goes as application/x-www-form-urlencoded."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{port}", "Connection: close", "User-Agent: survey-bench"]
    body = b""
    if form is not None:
        body = urlencode(list(form)).encode("ascii")
        lines.append("Content-Type: application/x-www-form-urlencoded")
        lines.append(f"Content-Length: {len(body)}")
    lines += [f"{name}: {value}" for name, value in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def _dechunk(body: bytes) -> bytes:
    out, position = bytearray(), 0
    while True:
        end = body.index(b"\r\n", position)
        size = int(body[position:end].split(b";")[0], 16)
        if size == 0:
            return bytes(out)
        out += body[end + 2 : end + 2 + size]
        position = end + 2 + size + 2


def parse(raw: bytes) -> Reply:
    head, separator, body = raw.partition(b"\r\n\r\n")
    if not separator:
        raise ConnectionError(f"incomplete HTTP response ({len(raw)} bytes)")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = []
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers.append((name.strip().lower(), value.strip()))
    reply = Reply(status, tuple(headers), body, len(raw))
    if (reply.header("transfer-encoding") or "").lower() == "chunked":
        reply = Reply(status, reply.headers, _dechunk(body), len(raw))
    return reply


def status_of(raw: bytes) -> int:
    """The status code alone (the load generator's hot path parses nothing else)."""
    try:
        return int(raw[9:12])
    except ValueError:
        return 0


def exchange(port: int, request: bytes, timeout: float = TIMEOUT) -> Reply:
    with socket.create_connection((HOST, port), timeout=timeout) as connection:
        connection.sendall(request)
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
    return parse(b"".join(chunks))


async def exchange_async(port: int, request: bytes) -> bytes:
    """Send one request and read the raw response up to the server's close."""
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        writer.write(request)
        return await reader.read(-1)
    finally:
        writer.close()
