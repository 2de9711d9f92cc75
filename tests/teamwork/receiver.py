"""A webhook receiver on 127.0.0.1 for tests: records each request, answers with the
statuses it is told to (then 200)."""

import http.server
import threading
from contextlib import contextmanager


class Receiver:
    def __init__(self):
        self.requests: list[dict] = []
        self.statuses: list[int] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"


@contextmanager
def receiver(statuses=()):
    state = Receiver()
    state.statuses = list(statuses)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            state.requests.append(
                {"headers": dict(self.headers), "path": self.path, "body": self.rfile.read(length)}
            )
            status = state.statuses.pop(0) if state.statuses else 200
            self.send_response(status)
            self.end_headers()
            self.wfile.write(b"ok" if status < 300 else b"try again later")

        def log_message(self, *args):
            pass

    state.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=state.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.server.shutdown()
        state.server.server_close()
