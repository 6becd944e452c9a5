"""A stand-in for an outside service in tests: an HTTP server on 127.0.0.1 in a thread. The test gives
a function that sees each request and returns the answer, and reads back what was received.

    with local_server(answer) as server:
        settings.KAOWU_X_URL = server.url + "/path"
        ...
        assert server.requests[0].path == "/path"
"""

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit


@dataclass
class Received:
    method: str
    path: str
    query: dict
    headers: dict  # lower-case names
    body: bytes


@dataclass
class Answer:
    status: int = 200
    body: bytes = b"{}"
    headers: dict = field(default_factory=lambda: {"Content-Type": "application/json"})
    delay: float = 0.0  # seconds to wait before answering (a slow service)


@dataclass
class LocalServer:
    url: str
    requests: list[Received]


@contextmanager
def local_server(respond: Callable[[Received], Answer]) -> Iterator[LocalServer]:
    received: list[Received] = []
    stop = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def _handle(self):
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            request = Received(method=self.command, path=parts.path, query=dict(parse_qsl(parts.query)),
                               headers={k.lower(): v for k, v in self.headers.items()},
                               body=self.rfile.read(length) if length else b"")
            received.append(request)
            answer = respond(request)
            if answer.delay:
                stop.wait(answer.delay)
            try:
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                self.wfile.write(answer.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting (timeout tests)

        do_GET = do_POST = _handle

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield LocalServer(url=f"http://127.0.0.1:{server.server_address[1]}", requests=received)
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
        thread.join(5)


def signed_broker(secret: str, decide: Callable[[Received, dict], tuple[int, dict]], *, app_id: str = "kaowu-test",
                  sign_answers: bool = True) -> Callable[[Received], Answer]:
    """A service broker of the signed JSON protocol (kaowu/core/providers.py), written from its spec:
    it recomputes the request signature itself and refuses a wrong one with 401, refuses a timestamp more
    than 5 minutes off and a nonce seen before, and signs its answer with the request's nonce.
    `decide(request, payload)` returns (status, JSON object) for a request that passed."""
    import hashlib
    import hmac
    import json
    import time

    seen: set[str] = set()

    def answer(request: Received) -> Answer:
        h = request.headers
        nonce = h.get("x-kaowu-nonce", "")
        message = "\n".join(["POST", request.path, h.get("x-kaowu-timestamp", ""), nonce,
                             hashlib.sha256(request.body).hexdigest()])
        expected = hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()
        if h.get("x-kaowu-app-id") != app_id or not hmac.compare_digest(expected, h.get("x-kaowu-signature", "")):
            status, data = 401, {"error": "bad_signature"}
        elif abs(time.time() - int(h.get("x-kaowu-timestamp", "0"))) > 300:
            status, data = 401, {"error": "stale"}
        elif nonce in seen:
            status, data = 401, {"error": "replayed"}
        else:
            seen.add(nonce)
            status, data = decide(request, json.loads(request.body))
        body = json.dumps(data, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json"}
        if sign_answers:
            digest = hashlib.sha256(body).hexdigest()
            headers["X-Kaowu-Signature"] = hmac.new(secret.encode(), f"{nonce}\n{digest}".encode(),
                                                    hashlib.sha256).hexdigest()
        return Answer(status=status, body=body, headers=headers)

    return answer
