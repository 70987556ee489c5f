"""Helpers for the UI tests: the articles of the test index, and the app served over HTTP.

The index holds the fifteen contract-suite articles plus 30 generated VNPT/Viettel news items
(so there are several pages of results).
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlencode

from werkzeug.serving import make_server

from config.settings import Settings
from indexer.article import Article
from indexer.backends import load_backend
from search_ui import create_app
from tests.indexer.backends.sample_articles import sample_articles

PROVINCES = [
    ("Nghệ An", "Nghệ An"),
    ("Hà Tĩnh", "Hà Tĩnh"),
    ("Lào Cai", "Lào Cai"),
    ("Yên Bái", "Lào Cai"),
    ("Cao Bằng", "Cao Bằng"),
    ("Lạng Sơn", "Lạng Sơn"),
]
SERVICES = ["hóa đơn điện tử", "chữ ký số", "bệnh án điện tử", "sổ sức khỏe điện tử", "học bạ số"]


def extra_articles() -> list[Article]:
    out = []
    for i in range(30):
        legacy, current = PROVINCES[i % len(PROVINCES)]
        partner = "VNPT" if i % 3 else "Viettel"
        service = SERVICES[i % len(SERVICES)]
        out.append(
            Article(
                url=f"http://tin{i % 4}.example.vn/cds/{i}.html",
                source=f"tin{i % 4}.example.vn",
                source_kind="press",
                title=f"{partner} {legacy} triển khai {service} phục vụ chuyển đổi số (kỳ {i + 1})",
                lead=f"{partner} phối hợp với UBND tỉnh {legacy} đưa {service} đến người dân.",
                body=f"Đây là bước tiếp theo trong chương trình chuyển đổi số của tỉnh {legacy}.",
                published=f"2024-{1 + i % 12:02d}-{1 + i % 27:02d}T08:00:00+07:00",
                year=2024,
                kind="news",
                provinces=[legacy],
                provinces_current=[current],
                partners=[partner],
            )
        )
    return out


def all_articles() -> list[Article]:
    return sample_articles() + extra_articles()


@dataclass
class Live:
    url: str
    app: object

    def get(self, path: str, params=None) -> tuple[int, dict, bytes]:
        if params:
            path += ("&" if "?" in path else "?") + urlencode(params, doseq=True)
        try:
            with urllib.request.urlopen(self.url + path, timeout=30) as r:
                return r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()

    def html(self, path: str, params=None) -> tuple[int, str]:
        status, _, body = self.get(path, params)
        return status, body.decode("utf-8")

    def json(self, path: str, params=None) -> tuple[int, dict]:
        status, headers, body = self.get(path, params)
        assert headers["Content-Type"].startswith("application/json"), headers
        return status, json.loads(body)


def serve(settings: Settings):
    app = create_app({"SETTINGS": settings})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread, Live(f"http://127.0.0.1:{server.server_port}", app)


def index_into(data_dir, articles) -> None:
    """A real embedded index of ``articles`` under ``data_dir``, built as the crawler builds it."""
    backend = load_backend(Settings(DATA_DIR=str(data_dir)))
    backend.index(articles)
    backend.close()


@contextmanager
def live_over(data_dir, articles=None):
    """The app over HTTP on the index in ``data_dir`` (indexing ``articles`` there first)."""
    if articles is not None:
        index_into(data_dir, articles)
    server, thread, live = serve(Settings(DATA_DIR=str(data_dir)))
    try:
        yield live
    finally:
        server.shutdown()
        thread.join(10)


def csv_rows(body: bytes) -> tuple[str, list[dict]]:
    """(the comment line naming the query, the rows) of a CSV export (BOM, comment, header, rows)."""
    import csv
    import io

    text = body.decode("utf-8").lstrip("\ufeff")
    comment, rest = text.split("\n", 1) if text.startswith("#") else ("", text)
    return comment, list(csv.DictReader(io.StringIO(rest)))
