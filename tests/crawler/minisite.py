"""A tiny web site the tests shape page by page (status, type, charset, size, ETag), for the
cases the demo web does not stage: changed pages, 304s, PDFs, oversized pages, redirect loops,
crawler traps. Real HTTP on 127.0.0.1, a thread per request."""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field

from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response


class _Quiet(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:
        pass


@dataclass
class Page:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict = field(default_factory=dict)
    validators: bool = True  # answer ETag / Last-Modified and honour conditional requests


class MiniSite:
    def __init__(self, robots: str = "User-agent: *\nDisallow: /private/\n") -> None:
        self.pages: dict[str, Page] = {"/robots.txt": Page(robots.encode(), "text/plain")}
        self.log: list[dict] = []
        self.routes: list = []  # (compiled regex on path+query, function(match) -> Page)
        self.delay = 0.0  # seconds each answer takes: a slow site
        self._lock = threading.Lock()
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True, request_handler=_Quiet)
        self.port = self.server.server_port
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> MiniSite:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def add(self, path: str, body: str | bytes, **kw) -> str:
        self.pages[path] = Page(body.encode("utf-8") if isinstance(body, str) else body, **kw)
        return self.url(path)

    def requested(self, status: int | None = None) -> list[str]:
        with self._lock:
            return [e["path"] for e in self.log if status is None or e["status"] == status]

    def app(self, environ, start_response):
        if self.delay:
            time.sleep(self.delay)
        request = Request(environ)
        path = request.full_path.rstrip("?")
        page = self.pages.get(path)
        for pattern, make in self.routes if page is None else []:
            m = pattern.fullmatch(path)
            if m:
                page = make(m)
                break
        entry = {
            "path": path,
            "if_none_match": request.headers.get("If-None-Match"),
            "if_modified_since": request.headers.get("If-Modified-Since"),
        }
        if page is None:
            response = Response("not found", 404)
        else:
            etag = '"' + hashlib.sha1(page.body).hexdigest()[:16] + '"'
            headers = dict(page.headers)
            if page.validators and page.status == 200:
                headers.update({"ETag": etag, "Last-Modified": "Mon, 01 Jan 2024 00:00:00 GMT"})
            if page.validators and page.status == 200 and request.headers.get("If-None-Match") == etag:
                response = Response(b"", 304, headers=headers)
            else:
                response = Response(page.body, page.status, headers=headers)
                response.headers["Content-Type"] = page.content_type
        entry["status"] = response.status_code
        with self._lock:
            self.log.append(entry)
        return response(environ, start_response)


def article_html(title: str, paragraphs: list[str], date: str = "05/03/2024") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'><title>{title}</title></head>"
        f"<body><div class='article'><h1>{title}</h1><div class='date'>Ngày đăng: {date}</div>"
        f"<div class='content'>{body}</div></div></body></html>"
    )


ON_TOPIC = [
    "Sáng nay, Ủy ban nhân dân tỉnh tổ chức hội nghị triển khai kế hoạch chuyển đổi số năm 2024, "
    "tập trung vào chính quyền số, kinh tế số và xã hội số.",
    "Tỉnh đặt mục tiêu 80% dịch vụ công trực tuyến toàn trình và đẩy mạnh hạ tầng số ở các huyện "
    "vùng cao, cùng các doanh nghiệp viễn thông.",
    "Các sở, ngành được giao nhiệm vụ cụ thể, báo cáo kết quả hằng quý cho Ban chỉ đạo chuyển đổi số "
    "của tỉnh để kịp thời tháo gỡ khó khăn.",
]
OFF_TOPIC = [
    "Giải bóng đá thiếu niên của tỉnh đã khép lại sau hai tuần tranh tài sôi nổi tại sân vận động "
    "trung tâm với sự tham gia của mười hai đội bóng.",
    "Ban tổ chức đã trao cúp vô địch, giải nhì và giải ba cho các đội xuất sắc, cùng các giải cá "
    "nhân cho cầu thủ ghi nhiều bàn thắng nhất.",
    "Khán giả đến cổ vũ rất đông, không khí sân đấu náo nhiệt suốt các trận chung kết diễn ra vào "
    "chiều thứ bảy và chủ nhật.",
]


def sitemap(site: MiniSite, entries: list[tuple[str, str]]) -> str:
    urls = "".join(f"<url><loc>{site.url(p)}</loc><lastmod>{m}</lastmod></url>" for p, m in entries)
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'


def listing_html(links: list[str], next_page: str | None = None, extra: str = "") -> str:
    items = "".join(
        f"<li><a href='{u}'>Bài viết số {i + 1} về hoạt động của tỉnh</a></li>" for i, u in enumerate(links)
    )
    nxt = f"<a class='next' href='{next_page}'>Trang sau</a>" if next_page else ""
    return f"<html><body><ul>{items}</ul>{nxt}{extra}</body></html>"


def source_entry(site: MiniSite, name: str = "mini", **kw) -> dict:
    entry = {
        "name": name,
        "kind": "portal",
        "province": "Tuyên Quang",
        "allowed_domains": ["127.0.0.1"],
        "article_patterns": [r"/bai/[\w-]+\.html$"],
        "pagination_patterns": [r"/tin-tuc\?page=(\d+)$"],
    }
    entry.update(kw)
    return entry


def tcvn3(text: str) -> bytes:
    """Unicode Vietnamese -> TCVN3 (.VnTime) bytes, as old portal pages were typed."""
    import unicodedata

    from viparse.normalize.encodings import CHARMAPS

    table = {uni: legacy for legacy, uni in CHARMAPS["tcvn3"].pairs}
    keys = sorted(table, key=len, reverse=True)
    text, out, i = unicodedata.normalize("NFC", text), [], 0
    while i < len(text):
        key = next((k for k in keys if text.startswith(k, i)), None)
        out.append(table[key] if key else text[i])
        i += len(key) if key else 1
    return "".join(out).encode("latin-1")
