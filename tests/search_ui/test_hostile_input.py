"""Hostile input over real HTTP: every parameter of every page and API gets nasty values, and
the answer is never a 5xx (Atom feeds always parse); CSV exports never hand a spreadsheet a formula.

The values are a fixed list (reproducible, no test-time randomness): Unicode digits that
``str.isdigit()`` accepts but ``int()`` refuses, numbers past Python's int-string limit, dates
at the ends of the calendar, real NUL and control characters, invalid UTF-8, injection strings.
"""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from lxml import etree

from indexer.article import Article
from indexer.query import FACETS
from tests.search_ui.live_server import csv_rows, live_over

NASTY = [
    "",
    " ",
    "0",
    "-0",
    "-1",
    "--5",
    "+5",
    "²",
    "²⁰²⁴",
    "١٢",
    "１２",
    "1e3",
    "1.5",
    "0x10",
    "NaN",
    "-inf",
    "9" * 7,
    "1" * 5000,
    "-" + "9" * 30,
    "0000",
    "2024",
    "9999",
    "9999-12-31",
    "0001-01-01",
    "1899-12-31",
    "2024-02-30",
    "2024-13-01",
    "2024-W01-1",
    "20240101",
    "２０２４-01-01",
    "2024-01-01T25:00",
    "\x00",
    "\x00'",
    "\x01\x02\x1f\x7f",
    "\r\n",
    "\t",
    "\u202e",
    "\ufeff",
    "\u0301",
    b"\xff\xfe",
    b"\xc3",
    b"\xed\xa0\x80",  # invalid UTF-8 (a lone surrogate last)
    "'",
    '"',
    "\\",
    "%",
    "%00",
    "(((",
    "title:* OR 1=1; DROP TABLE x",
    "<script>alert(1)</script>",
    "{{7*7}}",
    "${jndi:ldap://x/a}",
    "=cmd|' /C calc'!A0",
    "../../etc/passwd",
    "a" * 3000,
    "Thanh Hoá " * 300,
    "𝕍ℕℙ𝕋 🇻🇳",
    "İß ǅ",
    "true",
    "relevance\x00",
]
SEARCH_PARAMS = ["q", *FACETS, "from", "to", "sort", "page", "per_page", "duplicates", "off_topic"]
SEARCH_PATHS = ["/", "/api/search", "/api/export.csv", "/feed.atom"]
IGNORE_PAGING = {"/api/export.csv", "/feed.atom"}  # every row / always the newest 50
ARTICLE_PATHS = ["/article/", "/api/articles/"]


def assert_not_a_crash(status: int, headers: dict, body: bytes, path: str, what) -> None:
    assert status < 500, (path, what, status, body[:300])
    text = body.decode("utf-8")  # never a half-written or mis-encoded body
    assert "Traceback" not in text, (path, what)
    if path == "/feed.atom":
        if status == 200:
            assert headers["Content-Type"] == "application/atom+xml; charset=utf-8", (path, what)
            assert etree.fromstring(body).tag == "{http://www.w3.org/2005/Atom}feed", (path, what)
        else:
            assert headers["Content-Type"] == "text/plain; charset=utf-8", (path, what)
    elif path.startswith("/api/") and not (path.endswith(".csv") and status == 200):
        assert headers["Content-Type"].startswith("application/json"), (path, what)
        data = json.loads(text)
        assert status == 200 or data["status"] == status
    elif not path.startswith("/api/"):
        assert headers["Content-Type"].startswith("text/html") and "</html>" in text, (path, what)


@pytest.mark.parametrize("path", SEARCH_PATHS)
@pytest.mark.parametrize("name", SEARCH_PARAMS)
def test_nasty_values_never_give_a_server_error(live, path, name):
    for value in NASTY:
        status, headers, body = live.get(path, {name: value})
        assert_not_a_crash(status, headers, body, path, (name, value))


@pytest.mark.parametrize("path", SEARCH_PATHS)
def test_nasty_parameter_names_and_repeats_never_give_a_server_error(live, path):
    for value in NASTY:
        if isinstance(value, str) and value:
            status, headers, body = live.get(path, {value: "1"})
            assert_not_a_crash(status, headers, body, path, ("name", value))
    for name in FACETS:
        status, headers, body = live.get(path, {name: [f"v{i}" for i in range(60)]})  # past the cap
        assert_not_a_crash(status, headers, body, path, (name, "60 values"))
        assert status == 400
    status, headers, body = live.get(path, {n: NASTY[i % len(NASTY)] for i, n in enumerate(SEARCH_PARAMS)})
    assert_not_a_crash(status, headers, body, path, "all at once")


@pytest.mark.parametrize("path", ARTICLE_PATHS)
def test_nasty_article_ids_are_a_404_not_a_crash(live, path):
    for value in NASTY:
        raw = value if isinstance(value, bytes) else value.encode("utf-8")
        if not raw.strip(b" "):
            continue  # /article/ itself: a plain 404 too, below
        status, headers, body = live.get(path + quote(raw, safe=""))
        assert_not_a_crash(status, headers, body, path, value)
        assert status == 404, (path, value, status)
    assert live.get(path)[0] == 404


@pytest.mark.parametrize("path", SEARCH_PATHS)
@pytest.mark.parametrize(
    "params,message",
    [
        ({"page": "²"}, "page phải là số nguyên"),
        ({"page": "--5"}, "page phải là số nguyên"),
        ({"per_page": "٥"}, "per_page phải là số nguyên"),
        ({"page": "1" * 5000}, "page quá lớn"),
        ({"year": "²⁰²⁴"}, "year phải là năm gồm 4 chữ số"),
        ({"to": "9999-12-31"}, "to phải là ngày trong khoảng năm 1900–2100"),
        ({"from": "0001-01-01"}, "from phải là ngày trong khoảng năm 1900–2100"),
    ],
)
def test_hostile_numbers_and_dates_are_explained(live, path, params, message):
    if path in IGNORE_PAGING and set(params) <= {"page", "per_page"}:
        params = {**params, "q": "VNPT"}
        status, _, _ = live.get(path, params)  # no paging there: every row, or the newest
        assert status == 200
        return
    status, headers, body = live.get(path, params)
    assert status == 400
    text = body.decode("utf-8")
    if path in ("/", "/feed.atom"):
        assert "Tham số tìm kiếm không hợp lệ" in text and message in text
    else:
        assert message in json.loads(text)["error"]


def test_dates_at_the_edges_of_the_range_still_search(live):
    status, data = live.json("/api/search", {"from": "1900-01-01", "to": "2100-12-31"})
    _, everything = live.json("/api/search")
    assert status == 200 and data["total"] == everything["total"] > 0


def test_nul_and_control_characters_in_the_query_render_a_page(live):
    """Real NUL/control bytes reach the app (urlencode sends %00, the server decodes it)."""
    status, page = live.html("/", {"q": "\x00'\x01 Thanh Hóa\x7f"})
    assert status == 200 and "Traceback" not in page and "\x00" not in page
    status, data = live.json("/api/search", {"q": "\x00VNPT\x00"})
    _, plain = live.json("/api/search", {"q": "VNPT"})
    assert status == 200 and data["total"] == plain["total"] > 0  # NUL is not a word


# -- CSV export: no formulas ------------------------------------------------------------------
FORMULA_TITLES = [
    '=HYPERLINK("http://x")',
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1)",
    "+1",
    "\t=1",
    "\r=1",
    "＝1+1",
    "＋1",
    "－1",
    "＠SUM(1)",
    "  =1",
]


@pytest.fixture(scope="module")
def formula_live(tmp_path_factory):
    with live_over(
        tmp_path_factory.mktemp("formulas"),
        [
            Article(
                url=f"http://x.example.vn/{i}.html",
                source="x.example.vn",
                title=title,
                lead=title,
                body="chuyển đổi số",
                published=f"2024-01-{i + 1:02d}T08:00:00+07:00",
                year=2024,
                partners=["VNPT"],
            )
            for i, title in enumerate(FORMULA_TITLES + ["Tin thường", "Thỏa thuận 2021-2025"])
        ],
    ) as live:
        yield live


def test_csv_export_defuses_formulas(formula_live):
    status, _, body = formula_live.get("/api/export.csv", {"q": "chuyển đổi số"})
    assert status == 200
    rows = csv_rows(body)[1]
    titles = sorted(r["title"] for r in rows)
    assert len(rows) == len(FORMULA_TITLES) + 2
    assert '\'=HYPERLINK("http://x")' in titles and "'-2+3+cmd|' /C calc'!A0" in titles
    assert {"'@SUM(1)", "'+1", "'＝1+1", "'＋1", "'－1", "'＠SUM(1)"} <= set(titles)
    assert "Tin thường" in titles and "Thỏa thuận 2021-2025" in titles  # ordinary text untouched
    for row in rows:
        for column, cell in row.items():
            first = cell.lstrip()[:1]
            assert not (first in set("=+-@＝＋－＠") or cell[:1] in ("\t", "\r", "\n")), (column, cell)


AGREEMENT_PARAMS = ["province", "province_current", "partner", "year", "signed", "status", "sort"]


@pytest.mark.parametrize("path", ["/agreements", "/api/v1/agreements", "/api/v1/agreements.csv", "/subscribe"])
def test_agreements_and_subscribe_pages_never_give_a_server_error(live, path):
    names = AGREEMENT_PARAMS if "agreements" in path else SEARCH_PARAMS
    for name in names:
        for value in NASTY:
            status, headers, body = live.get(path, {name: value})
            assert status < 500 and "Traceback" not in body.decode("utf-8"), (path, name, value, status)
    status, _, _ = live.get(path, {"partner": [f"v{i}" for i in range(60)]})  # past the cap
    assert status == 400
