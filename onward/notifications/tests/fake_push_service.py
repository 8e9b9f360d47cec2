"""A push service on 127.0.0.1 for the tests: a real HTTP server that keeps each request and answers as told.

pywebpush posts to it exactly as it would to a browser vendor's push service, so the tests see the
real request: method, headers and the encrypted body.
"""

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class ReceivedPush:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class FakePushService:
    server: ThreadingHTTPServer
    received: list[ReceivedPush] = field(default_factory=list)
    # The status to answer for a path; any other path gets `default_status`.
    status_by_path: dict[str, int] = field(default_factory=dict)
    default_status: int = 201

    @property
    def origin(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def endpoint(self, name: str) -> str:
        return f"{self.origin}/push/{name}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def fake_push_service_start() -> FakePushService:
    service: FakePushService

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            service.received.append(
                ReceivedPush(method="POST", path=self.path, headers=dict(self.headers.items()), body=body)
            )
            status = service.status_by_path.get(self.path, service.default_status)
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    service = FakePushService(server=server)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return service
