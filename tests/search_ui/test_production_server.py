"""The production server over HTTP: gunicorn as `make serve` runs it (search_ui/gunicorn_conf.py),
in its own process on a real index: security headers on every response, no version banner, the
export row cap, and the bounded number of exports at once (503 + Retry-After past it)."""

from __future__ import annotations

import dataclasses
import http.client
import os
import re
import socket
import time
from urllib.parse import urlsplit

import pytest

from tests.search_ui.live_server import csv_rows, extra_articles, index_into
from tests.search_ui.production_server import DEV_SERVER, served

PATHS = [
    "/",
    "/?q=hoa+don+dien+tu&partner=VNPT",
    "/agreements",
    "/subscribe?q=VNPT",
    "/api/v1/docs",
    "/api/v1/search?q=VNPT",
    "/api/v1/facets",
    "/api/v1/openapi.json",
    "/feed.atom?q=VNPT",
    "/healthz",
    "/static/style.css",
    "/static/search.js",
    "/khong-co-trang-nay",
    "/api/v1/search?bogus=1",
]


def assert_secured(headers: dict, path: str) -> None:
    csp = headers.get("Content-Security-Policy", "")
    directives = dict((d.split(" ", 1) + [""])[:2] for d in (x.strip() for x in csp.split(";")) if d)
    assert directives.get("frame-ancestors") == "'none'", (path, csp)
    assert directives.get("script-src") == "'self'" and directives.get("style-src") == "'self'", (path, csp)
    assert "unsafe-inline" not in csp and directives.get("object-src") == "'none'", (path, csp)
    assert headers.get("X-Content-Type-Options") == "nosniff", path
    assert headers.get("Referrer-Policy") == "strict-origin-when-cross-origin", path
    assert headers.get("X-Frame-Options") == "DENY", path


@pytest.mark.parametrize("path", PATHS)
def test_every_response_carries_the_security_headers_and_no_version(production, path):
    status, headers, _ = production.get(path)
    assert status in (200, 400, 404), (path, status)
    assert_secured(headers, path)
    assert headers.get("Server") == "gunicorn", headers.get("Server")  # no version, no Python
    assert not re.search(r"\d", headers["Server"])


def test_it_is_gunicorn_with_a_worker_per_core(production):
    conn = http.client.HTTPConnection(urlsplit(production.url).netloc, timeout=30)
    for _ in range(3):  # one kept-alive connection
        conn.request("GET", "/api/v1/search?q=VNPT")
        response = conn.getresponse()
        response.read()
        assert response.status == 200 and response.getheader("Connection") == "keep-alive"
    conn.close()
    children = [p for p in os.listdir("/proc") if p.isdigit() and _parent(p) == production.proc.pid]
    assert len(children) == len(os.sched_getaffinity(0)), children  # UI_WORKERS=0: one per core


def _parent(pid: str) -> int:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return int(f.read().rsplit(")", 1)[1].split()[1])
    except OSError:
        return -1


def test_the_dev_server_shows_no_version_either(data_dir):
    with served(data_dir, DEV_SERVER) as dev:
        status, headers, _ = dev.get("/?q=VNPT")
    assert status == 200 and headers["Server"] == "Werkzeug"  # not "Werkzeug/3.1.9 Python/3.11.2"
    assert_secured(headers, "/ (dev server)")


def test_an_export_past_the_row_cap_is_cut_and_says_so(production):
    status, headers, body = production.get("/api/v1/export.csv", {"q": "chuyển đổi số"})
    comment, rows = csv_rows(body)
    total = int(headers["X-Total-Count"])
    assert status == 200 and total > 10 and len(rows) == 10 == int(headers["X-Export-Rows"])
    assert headers["X-Export-Truncated"] == "true"
    assert f"10 bài đầu trong {total}" in comment and "lọc hẹp hơn" in comment
    # Under the cap: the whole result, and the headers say it is whole.
    status, headers, body = production.get("/api/v1/export.csv", {"q": "chuyển đổi số", "partner": "FPT"})
    comment, rows = csv_rows(body)
    assert status == 200 and 0 < len(rows) == int(headers["X-Total-Count"]) <= 10
    assert headers["X-Export-Truncated"] == "false" and "bài đầu trong" not in comment


# -- exports at once --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def big_index(tmp_path_factory):
    """3,000 articles with long leads: a whole export (~9 MB) is more than the kernel buffers
    between a server and a client that does not read, so an export a slow client is downloading
    really is still running (and holds its thread and its slot)."""
    d = tmp_path_factory.mktemp("big-export")
    index_into(
        d,
        [
            dataclasses.replace(a, url=a.url.replace(".html", f"-{k}.html"), lead=a.lead * 30)
            for k in range(100)
            for a in extra_articles()
        ],
    )
    return d


@pytest.fixture(scope="module")
def big_export(big_index):
    """One gunicorn worker allowing 2 exports at once."""
    with served(big_index, UI_WORKERS=1, UI_THREADS=4, EXPORT_MAX_CONCURRENT=2) as live:
        yield live


def slow_reader(live) -> socket.socket:
    """A client that asks for a whole export, reads its status line, and then reads nothing."""
    host, port = urlsplit(live.url).hostname, urlsplit(live.url).port
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect((host, port))
    s.sendall(b"GET /api/v1/export.csv HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    s.settimeout(30)
    assert s.recv(64).startswith(b"HTTP/1.1 200 ")
    return s


def drain(s: socket.socket) -> int:
    n, tail = 0, b""
    while True:
        chunk = s.recv(1 << 16)
        n += len(chunk)
        tail = (tail + chunk)[-5:]
        if not chunk or tail == b"0\r\n\r\n":  # the chunked body's end
            s.close()
            return n


def test_exports_past_the_limit_get_503_with_retry_after_and_searches_go_on(big_export):
    with open("/proc/sys/net/ipv4/tcp_wmem") as f:
        buffers = int(f.read().split()[2]) + (1 << 16)  # the most a server can leave in its send buffer
    readers = [slow_reader(big_export), slow_reader(big_export)]  # the two slots taken
    time.sleep(1.0)
    for _ in range(3):
        status, headers, body = big_export.get("/api/v1/export.csv", {"q": "VNPT"})
        assert status == 503 and headers["Retry-After"] == "5", (status, body[:200])
        assert "quá nhiều lượt xuất dữ liệu" in body.decode() and headers["Content-Type"].startswith("application/json")
        status, _, _ = big_export.get("/api/v1/agreements.csv")
        assert status == 503  # the same slots
    status, data = big_export.json("/api/v1/search", {"q": "chữ ký số"})  # searches are not starved
    assert status == 200 and data["total"] > 0
    assert drain(readers[0]) > buffers  # a real download, not one in the buffers
    status, headers, body = big_export.get("/api/v1/export.csv", {"q": "chữ ký số"})  # a slot is free
    assert status == 200 and len(csv_rows(body)[1]) == int(headers["X-Total-Count"]) > 0
    drain(readers[1])
    statuses = []
    for _ in range(3):  # both free again: nothing leaked a slot
        conn = http.client.HTTPConnection(urlsplit(big_export.url).netloc, timeout=30)
        conn.request("GET", "/api/v1/agreements.csv")
        statuses.append(conn.getresponse().status)
        conn.close()
    assert statuses == [200, 200, 200]


def test_a_refused_or_failed_export_gives_its_slot_back(big_export):
    for _ in range(4):  # more than the slots: a 400 must not keep one
        status, _, _ = big_export.get("/api/v1/export.csv", {"provnce": "Nghệ An"})
        assert status == 400
    assert big_export.get("/api/v1/export.csv", {"q": "sổ sức khỏe điện tử"})[0] == 200


def test_a_busy_worker_leaves_new_connections_to_a_free_one(big_index):
    """Two workers of one thread each; one is stuck sending an export to a client that does not
    read. A stock gthread worker would still accept new connections and queue them behind it (each
    new client a coin toss); search_ui/gunicorn_worker.py accepts only with a thread free."""
    with served(big_index, UI_WORKERS=2, UI_THREADS=1) as live:
        reader = slow_reader(live)
        time.sleep(0.5)
        answered = []
        for _ in range(6):
            conn = http.client.HTTPConnection(urlsplit(live.url).netloc, timeout=8)
            started = time.monotonic()
            try:
                conn.request("GET", "/api/v1/search?q=VNPT&per_page=1")
                answered.append(conn.getresponse().status)
            except (TimeoutError, OSError) as e:
                answered.append(f"no answer in {time.monotonic() - started:.0f} s ({type(e).__name__})")
            conn.close()
        drain(reader)
    assert answered == [200] * 6


def test_idle_connections_take_no_thread_from_requests(data_dir):
    """300 connections that never send a byte, on one worker of one thread: stock gthread gives
    each new connection a thread for up to 5 s first, so a real request would wait behind them."""
    with served(data_dir, UI_WORKERS=1, UI_THREADS=1) as live:
        netloc = urlsplit(live.url)
        idle = [socket.create_connection((netloc.hostname, netloc.port)) for _ in range(300)]
        time.sleep(0.5)
        answered = []
        for _ in range(5):
            conn = http.client.HTTPConnection(netloc.netloc, timeout=4)
            try:
                conn.request("GET", "/api/v1/search?q=VNPT&per_page=1")
                answered.append(conn.getresponse().status)
            except (TimeoutError, OSError) as e:
                answered.append(type(e).__name__)
            conn.close()
        threads = _threads(live.proc.pid)
        for s in idle:
            s.close()
    assert answered == [200] * 5
    assert max(threads.values()) <= 4, threads  # main loop + the one request thread, not 300


def _threads(parent: int) -> dict[int, int]:
    out = {}
    for p in os.listdir("/proc"):
        if p.isdigit() and _parent(p) == parent:
            with open(f"/proc/{p}/status") as f:
                out[int(p)] = int(f.read().split("Threads:")[1].split()[0])
    return out


def test_a_client_that_stops_reading_loses_its_export_after_the_timeout(big_index, monkeypatch):
    monkeypatch.setenv("GUNICORN_CMD_ARGS", "--timeout 3")  # seconds per read or write
    with served(big_index, UI_WORKERS=1, UI_THREADS=2, EXPORT_MAX_CONCURRENT=1) as live:
        reader = slow_reader(live)
        assert live.get("/api/v1/export.csv", {"q": "VNPT"})[0] == 503  # its slot is held
        deadline, status = time.monotonic() + 20, None
        while time.monotonic() < deadline and status != 200:
            time.sleep(1)
            status = live.get("/api/v1/export.csv", {"q": "VNPT"})[0]
        waited = 20 - (deadline - time.monotonic())
        received = drain(reader)
    assert status == 200 and waited < 15, (status, waited)  # freed by the timeout, not by the reader
    assert received < 9_000_000  # the server gave up on it mid-file
