#!/usr/bin/env python3
""""hello world" as an Azure Functions custom handler in Python (standard library only).

The same handler as the Rust one in the folder above, so the app can be tried without cargo.
It runs in the default JSON-envelope mode: the caller sends GET|POST /api/hello to the
Functions host, the host POSTs an invocation request to this handler on /hello (the
function's name):

    {"Data": {"req": {"Url": ..., "Method": ..., "Query": ..., "Headers": ...}}, "Metadata": {...}}

and turns the JSON answer into the caller's HTTP response: {"msg":"hello world"}.
"""
import json
import os
import re
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAX_LINE = 8192
DIGITS = re.compile(r"[0-9]+")
HEX = re.compile(rb"[0-9A-Fa-f]+")

# The invocation result for every call.
# - The host reads the top-level keys case-insensitively, so lowercase works.
# - "returnvalue" goes to the $return http output binding. Being an object with a "body"
#   key, it describes the HTTP response: status, headers and body (a string, sent as is).
# - "outputs" is empty: this function has no named output bindings.
# - "logs" lines appear in the host's log for this invocation.
HELLO = json.dumps({
    "returnvalue": {
        "statusCode": 200,
        "body": json.dumps({"msg": "hello world"}, separators=(",", ":")),
        "headers": {"Content-Type": "application/json"},
    },
    "outputs": {},
    "logs": ["hello was called"],
}, separators=(",", ":")).encode()


class BadRequest(Exception):
    pass


class Handler(BaseHTTPRequestHandler):
    # HTTP/1.1 keeps connections open between requests; the host pools and reuses them.
    # It also makes every response need a Content-Length, which reply() always sends.
    protocol_version = "HTTP/1.1"
    # Each open connection holds a thread, so let idle ones go in the end. The host's .NET
    # connection pool drops idle connections sooner (after 1 or 2 minutes) and never sees this.
    timeout = 300

    def do_GET(self):
        self.dispatch()

    def do_POST(self):
        self.dispatch()

    def dispatch(self):
        try:
            # Read the body even though it is not needed: on a kept-alive connection, unread
            # body bytes would be taken for the start of the next request.
            self.read_body()
        except BadRequest as e:
            self.close_connection = True  # we no longer know where the next request starts
            return self.reply(400, str(e).encode(), "text/plain; charset=utf-8")

        if self.path == "/":
            self.reply(200)  # the host's readiness probe: any answer will do
        elif self.command == "POST" and self.path == "/hello":
            self.reply(200, HELLO, "application/json")  # an invocation of the function "hello"
        else:
            self.reply(404)

    def read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self.read_chunked()
        length = self.headers.get("Content-Length", "0")
        if not DIGITS.fullmatch(length):
            raise BadRequest("bad Content-Length")
        return self.rfile.read(int(length))

    def read_chunked(self):
        # http.server does not decode chunked request bodies, so do it here:
        # each chunk is "<hex size>[;extensions]\r\n<data>\r\n", ending with a size of 0.
        chunks = []
        while True:
            size_text = self.rfile.readline(MAX_LINE).split(b";")[0].strip()
            if not HEX.fullmatch(size_text):
                raise BadRequest("bad chunk size")
            size = int(size_text, 16)
            if size == 0:
                break
            chunks.append(self.rfile.read(size))
            if self.rfile.readline(MAX_LINE).strip():
                raise BadRequest("chunk data longer than its size")
        while self.rfile.readline(MAX_LINE).strip():
            pass  # skip trailer fields up to the closing empty line
        return b"".join(chunks)

    def reply(self, status, body=b"", content_type=None):
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        # The default access log goes to stderr, which the host logs at Error level.
        pass


def main():
    port = int(os.environ.get("FUNCTIONS_CUSTOMHANDLER_PORT")
               or os.environ.get("FUNCTIONS_HTTPWORKER_PORT")
               or 8080)
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)  # a thread per connection
    # stdout is a pipe under the host, so flush: otherwise the line shows up much later.
    print(f"hello handler listening on http://127.0.0.1:{port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
