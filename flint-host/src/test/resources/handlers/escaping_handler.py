"""A forwarding-mode handler that leaves a process behind outside its own process tree.

At start it double-forks a `sleep` that is re-parented away from the handler (as a daemonising
helper would be) and writes that process's pid to escaped.pid, then serves GET / and GET /api/spin
(a little CPU work, so that perf has samples).
"""
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def leave_a_process_behind():
    first = os.fork()
    if first == 0:
        os.setsid()
        second = os.fork()
        if second == 0:
            devnull = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(devnull, fd)
            os.execvp("sleep", ["sleep", "600"])
        with open("escaped.pid.tmp", "w") as f:
            f.write(str(second))
        os.rename("escaped.pid.tmp", "escaped.pid")
        os._exit(0)
    os.waitpid(first, 0)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def do_GET(self):
        if self.path.startswith("/api/spin"):
            total = 0
            for i in range(20000):
                total += i * i
            body = str(total).encode()
        else:
            body = b""
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


if __name__ == "__main__":
    leave_a_process_behind()
    port = int(os.environ.get("FUNCTIONS_CUSTOMHANDLER_PORT", "8080"))
    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
