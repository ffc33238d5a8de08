"""A custom handler that misbehaves on purpose, for Flint's envelope-mode tests.

Each function name selects a behaviour; the request Flint sent is echoed back where useful so
that tests can assert the envelope field by field.
"""
import json
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # keep the console for what tests print on purpose
        pass

    def do_GET(self):
        if self.path == "/":
            self.reply(200, "text/plain", b"")
        else:
            self.reply(404, "text/plain", b"")

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length) if length else b""
        name = self.path.lstrip("/")
        envelope = json.loads(raw) if raw else {}
        seen_headers = {k: v for k, v in self.headers.items()}
        behaviour = getattr(self, "fn_" + name.lower().replace("-", "_"), None)
        if behaviour is None:
            self.reply(404, "application/json", json.dumps({"Logs": ["no function " + name]}).encode())
            return
        behaviour(envelope, seen_headers)

    # ---- functions

    def fn_echo(self, envelope, headers):
        """Answers with the envelope and the invocation headers it received."""
        body = {"envelope": envelope, "headers": headers, "path": self.path}
        self.json(200, {"Outputs": {"res": {"statusCode": 200, "headers": {"Content-Type": "application/json"},
                                            "body": json.dumps(body)}},
                        "Logs": ["echo was called", {"level": "warning", "message": "a warning from echo"}]})

    # The same echo under other names, for functions with other auth levels.
    fn_secured = fn_echo
    fn_other = fn_echo
    fn_adminonly = fn_echo
    fn_guarded = fn_echo

    def fn_tick(self, envelope, headers):
        """A timer function: prints what it was given, for tests of POST /admin/functions/{name}."""
        print("tick got " + json.dumps(envelope["Data"], sort_keys=True), flush=True)
        self.json(200, {"Outputs": {}, "Logs": ["tick ran"]})

    def fn_queued(self, envelope, headers):
        """A queue function: prints its trigger value and returns a queue output Flint cannot deliver yet."""
        print("queued got " + json.dumps(envelope["Data"], sort_keys=True), flush=True)
        self.json(200, {"Outputs": {"out": "next"}, "Logs": ["queued ran"]})

    def fn_hello(self, envelope, headers):
        """Lowercase top-level keys and a $return http binding, as a published Rust handler answers."""
        print("hello on stdout", flush=True)
        print("hello on stderr", file=sys.stderr, flush=True)
        self.json(200, {"returnvalue": {"statusCode": 200, "body": json.dumps({"msg": "hello world"}, separators=(",", ":")),
                                        "headers": {"Content-Type": "application/json"}},
                        "outputs": {}, "logs": ["hello was called"]})

    def fn_status(self, envelope, headers):
        self.json(404, {"Logs": ["logged before failing"]})

    def fn_plain(self, envelope, headers):
        self.reply(200, "text/plain", b'{"Outputs":{}}')

    def fn_badjson(self, envelope, headers):
        self.reply(200, "application/json", b'{"Outputs": {')

    def fn_empty(self, envelope, headers):
        self.reply(200, "application/json", b"")

    def fn_slow(self, envelope, headers):
        time.sleep(5)
        self.json(200, {"Outputs": {"res": {"body": "late"}}})

    def fn_crash(self, envelope, headers):
        print("crashing on purpose", file=sys.stderr, flush=True)
        os._exit(3)

    # ---- plumbing

    def json(self, status, value):
        self.reply(status, "application/json", json.dumps(value).encode())

    def reply(self, status, content_type, body):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


if __name__ == "__main__":
    port = int(os.environ.get("FUNCTIONS_CUSTOMHANDLER_PORT", "8080"))
    print("listening on", port, "worker", os.environ.get("FUNCTIONS_CUSTOMHANDLER_WORKER_ID"),
          "root", os.environ.get("FUNCTIONS_APP_ROOT_PATH"), "greeting", os.environ.get("GREETING"), flush=True)
    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
