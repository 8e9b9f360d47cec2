"""Refuse request bodies over the limit before reading them, whatever server runs the WSGI app.

A body announced with Content-Length over the limit is refused at once, unread. A chunked body (no length
given) is read into a spooled file up to the limit and refused as soon as it passes it; under the limit it
is handed on with its length, so Django reads it as any other body. Pages get a short page in plain words,
the API (`/api/`) a JSON error. The limit is REQUEST_BODY_MAX_BYTES, larger only under the path prefixes
of REQUEST_BODY_LARGE_PATHS (editors' media uploads).
"""

import json
import tempfile
from collections.abc import Callable, Iterable, Mapping
from typing import Any

READ_BLOCK_BYTES = 64 * 1024
SPOOL_IN_MEMORY_BYTES = 1024 * 1024
TOO_LARGE_STATUS = "413 Content Too Large"

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


class RequestBodyLimit:
    """WSGI middleware: wrap the Django application with it (config/wsgi.py does)."""

    def __init__(self, app: WSGIApp, *, max_bytes: int, larger: Mapping[str, int] | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.larger = sorted((larger or {}).items(), key=lambda item: -len(item[0]))

    def limit_for(self, path: str) -> int:
        for prefix, limit in self.larger:
            if path.startswith(prefix):
                return limit
        return self.max_bytes

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        limit = self.limit_for(path)
        announced = environ.get("CONTENT_LENGTH") or ""
        if announced:
            try:
                length = int(announced)
            except ValueError:
                return _refuse(start_response, path, "400 Bad Request", "The request's length is not a number.")
            if length > limit:
                return _too_large(start_response, path, limit)
        elif "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
            spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY_BYTES)  # noqa: SIM115 (handed on)
            stream = environ["wsgi.input"]
            size = 0
            while True:
                block = stream.read(min(READ_BLOCK_BYTES, limit + 1 - size))
                if not block:
                    break
                size += len(block)
                if size > limit:
                    spool.close()
                    return _too_large(start_response, path, limit)
                spool.write(block)
            spool.seek(0)
            environ["wsgi.input"] = spool
            environ["CONTENT_LENGTH"] = str(size)
            environ.pop("HTTP_TRANSFER_ENCODING", None)
        return self.app(environ, start_response)


def _too_large(start_response: StartResponse, path: str, limit: int) -> list[bytes]:
    megabytes = max(1, limit // (1024 * 1024))
    return _refuse(start_response, path, TOO_LARGE_STATUS, f"What you sent is too large. The limit is {megabytes} MB.")


def _refuse(start_response: StartResponse, path: str, status: str, words: str) -> list[bytes]:
    if path.startswith("/api/"):
        body = json.dumps({"detail": words}).encode()
        content_type = "application/json"
    else:
        body = (
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Request too large</title></head>'
            f"<body><h1>Sorry, we could not take that</h1><p>{words}</p></body></html>"
        ).encode()
        content_type = "text/html; charset=utf-8"
    start_response(
        status, [("Content-Type", content_type), ("Content-Length", str(len(body))), ("Connection", "close")]
    )
    return [body]
