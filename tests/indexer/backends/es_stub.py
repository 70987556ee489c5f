"""A STUB that answers HTTP on 127.0.0.1 the way Elasticsearch would, for two narrow uses:

* error paths and report formatting (``status`` on a green, red, empty or foreign cluster; a 401);
* recording what the real client puts on the wire (method, path, query, headers, body), so those
  bodies can be validated against Elastic's specification (test_es_wire.py).

It is NOT Elasticsearch and proves nothing about how Elasticsearch answers: it accepts every body.
Whether a real cluster accepts them is what the contract suite checks with CDS_ES_URL (make es-test).
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

Answer = tuple[int, Any]  # (status, JSON body or None)


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None

    def ndjson(self) -> list[Any]:
        return [json.loads(line) for line in self.body.decode().split("\n") if line.strip()]


@dataclass
class StubElasticsearch:
    """``routes``: (METHOD, path regex) -> answer, or a function of the Recorded request -> answer.
    Unrouted requests get a 404 ``index_not_found_exception``, as Elasticsearch would for a missing index."""

    routes: dict[tuple[str, str], Answer | Callable[[Recorded], Answer]] = field(default_factory=dict)
    requests: list[Recorded] = field(default_factory=list)

    def __enter__(self) -> StubElasticsearch:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _serve(self):
                url = urlsplit(self.path)
                n = int(self.headers.get("Content-Length") or 0)
                rec = Recorded(
                    self.command,
                    url.path,
                    parse_qs(url.query),
                    {k.lower(): v for k, v in self.headers.items()},
                    self.rfile.read(n) if n else b"",
                )
                stub.requests.append(rec)
                status, body = stub.answer(rec)
                data = b"" if body is None or self.command == "HEAD" else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("X-Elastic-Product", "Elasticsearch")
                self.send_header("Content-Type", "application/vnd.elasticsearch+json;compatible-with=9")
                self.send_header("Content-Length", str(len(data) if self.command != "HEAD" else 0))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _serve

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def answer(self, rec: Recorded) -> Answer:
        for (method, pattern), ans in self.routes.items():
            if method == rec.method and re.fullmatch(pattern, rec.path):
                return ans(rec) if callable(ans) else ans
        return 404, {
            "error": {"type": "index_not_found_exception", "reason": f"no such index [{rec.path}]"},
            "status": 404,
        }


INFO = {"name": "stub", "cluster_name": "cds-stub", "version": {"number": "9.1.0"}, "tagline": "You Know, for Search"}


def health(status: str = "green", nodes: int = 1, unassigned: int = 0) -> dict:
    return {"cluster_name": "cds-stub", "status": status, "number_of_nodes": nodes, "unassigned_shards": unassigned}
