#!/usr/bin/env python3
"""Area of a circle: an Azure Functions custom handler in Python (standard library only).

host.json turns on forwarding mode, so the Functions host passes each caller's request
through unchanged, on its original path:

    GET|POST /api/circle?radius=2        or   POST /api/circle  {"radius": 2}
    -> 200 {"radius":2.0,"area":12.566370614359172}
    -> 400 {"error":"..."} for a missing or bad radius

The host starts this script with the port to listen on in FUNCTIONS_CUSTOMHANDLER_PORT.
"""
import json
import math
import os
import re
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

FUNCTION_PATH = "/api/circle"  # routePrefix "api" + function name
MAX_BODY = 1 << 20
MAX_LINE = 8192
DIGITS = re.compile(r"[0-9]+")
HEX = re.compile(rb"[0-9A-Fa-f]+")
# A query radius may only use these characters, so that "nan", "inf", "0x10" and "1_0",
# which float() would accept, are rejected the same way in every language of this example.
NUMBER_CHARS = frozenset("0123456789+-.eE")

MISSING = 'missing radius: use ?radius=R or a JSON body {"radius": R}'
NOT_A_NUMBER = "radius must be a number"
BAD_JSON = 'body must be a JSON object such as {"radius": 2}'


class BadRequest(Exception):
    """A client error, answered with `status` and {"error": message}."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.status = status


def reject_constant(name):
    # json.loads accepts NaN and Infinity, which are not JSON.
    raise ValueError(name)


def parse_radius(query, body):
    """The radius from ?radius=R if given, otherwise from a JSON body {"radius": R}."""
    values = parse_qs(query, keep_blank_values=True).get("radius")
    if values is not None:
        text = values[0]
        if not text or not NUMBER_CHARS.issuperset(text):
            raise BadRequest(NOT_A_NUMBER)
        try:
            return float(text)
        except ValueError:
            raise BadRequest(NOT_A_NUMBER) from None
    if not body.strip():
        raise BadRequest(MISSING)
    try:
        doc = json.loads(body, parse_constant=reject_constant)
    except ValueError:
        raise BadRequest(BAD_JSON) from None
    if not isinstance(doc, dict):
        raise BadRequest(BAD_JSON)
    if "radius" not in doc:
        raise BadRequest(MISSING)
    radius = doc["radius"]
    # bool is a subclass of int, but {"radius": true} is not a number.
    if isinstance(radius, bool) or not isinstance(radius, (int, float)):
        raise BadRequest(NOT_A_NUMBER)
    try:
        return float(radius)
    except OverflowError:  # an integer with hundreds of digits
        raise BadRequest("radius is too large") from None


def circle(radius):
    if radius < 0:
        raise BadRequest("radius must not be negative")
    area = math.pi * radius * radius
    if math.isinf(area):
        raise BadRequest("radius is too large")
    return {"radius": radius, "area": area}


class Handler(BaseHTTPRequestHandler):
    # HTTP/1.1 keeps connections open between requests; the host pools and reuses them.
    # It also makes every response need a Content-Length, which reply() always sends.
    protocol_version = "HTTP/1.1"
    # TCP_NODELAY: http.server sends the headers and the body in two writes. With Nagle's algorithm
    # on, the second waits for the host to acknowledge the first, and a delayed ACK makes that about
    # 40 ms per request on Linux.
    disable_nagle_algorithm = True
    # Each open connection holds a thread, so let idle ones go in the end. The host's .NET
    # connection pool drops idle connections sooner (after 1 or 2 minutes) and never sees this.
    timeout = 300

    def do_GET(self):
        self.dispatch()

    def do_POST(self):
        self.dispatch()

    def dispatch(self):
        try:
            # Read the body before anything else: on a kept-alive connection, unread body
            # bytes would be taken for the start of the next request.
            body = self.read_body()
        except BadRequest as e:
            self.close_connection = True  # we no longer know where the next request starts
            return self.reply(e.status, {"error": str(e)})

        url = urlsplit(self.path)
        if url.path == "/":
            return self.reply(200)  # the host's readiness probe: any answer will do
        # The host matches routes case-insensitively and forwards the path as the caller wrote it.
        if url.path.lower() != FUNCTION_PATH:
            return self.reply(404, {"error": "not found"})
        try:
            self.reply(200, circle(parse_radius(url.query, body)))
        except BadRequest as e:
            self.reply(e.status, {"error": str(e)})

    def read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self.read_chunked()
        length = self.headers.get("Content-Length", "0")
        if not DIGITS.fullmatch(length):
            raise BadRequest("bad Content-Length")
        if int(length) > MAX_BODY:
            raise BadRequest("request body too large", 413)
        return self.rfile.read(int(length))

    def read_chunked(self):
        # http.server does not decode chunked request bodies, so do it here:
        # each chunk is "<hex size>[;extensions]\r\n<data>\r\n", ending with a size of 0.
        chunks, total = [], 0
        while True:
            size_text = self.rfile.readline(MAX_LINE).split(b";")[0].strip()
            if not HEX.fullmatch(size_text):
                raise BadRequest("bad chunk size")
            size = int(size_text, 16)
            if size == 0:
                break
            total += size
            if total > MAX_BODY:
                raise BadRequest("request body too large", 413)
            chunks.append(self.rfile.read(size))
            if self.rfile.readline(MAX_LINE).strip():
                raise BadRequest("chunk data longer than its size")
        while self.rfile.readline(MAX_LINE).strip():
            pass  # skip trailer fields up to the closing empty line
        return b"".join(chunks)

    def reply(self, status, doc=None):
        body = b"" if doc is None else json.dumps(doc, separators=(",", ":")).encode()
        self.send_response(status)
        if doc is not None:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        # The default access log goes to stderr, which the host logs at Error level.
        pass


class Server(ThreadingHTTPServer):
    # socketserver listens with a backlog of 5: when the host opens more connections at once (it
    # does under load), the kernel drops the extra SYNs and each one is retried a second later.
    request_queue_size = 128
    daemon_threads = True


def main():
    port = int(os.environ.get("FUNCTIONS_CUSTOMHANDLER_PORT")
               or os.environ.get("FUNCTIONS_HTTPWORKER_PORT")
               or 8080)
    server = Server(("127.0.0.1", port), Handler)  # a thread per connection
    # stdout is a pipe under the host, so flush: otherwise the line shows up much later.
    print(f"circle handler listening on http://127.0.0.1:{port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
