"""``/feed.atom`` over real HTTP against a real embedded index: parsed as Atom with lxml, compared
with what the JSON API returns for the same search sorted newest first, and linked from the page."""

from __future__ import annotations

import datetime as dt
import html
import re
import urllib.error
import urllib.request

import pytest
from lxml import etree

from indexer.article import Article
from tests.indexer.backends.sample_articles import by_slug
from tests.search_ui.live_server import live_over

NS = "http://www.w3.org/2005/Atom"
A = f"{{{NS}}}"
ATOM_TYPE = "application/atom+xml; charset=utf-8"
RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")
TAG = "tag:cds-radar.github.io,2025:"


def one(parent, name: str):
    found = parent.findall(A + name)
    assert len(found) == 1, (name, len(found))
    return found[0]


def text(parent, name: str) -> str:
    return one(parent, name).text or ""


def check_required(feed) -> None:
    """RFC 4287's musts for a feed without a feed-level author: id, title, updated everywhere,
    an author and an alternate link on every entry, RFC 3339 dates."""
    assert feed.tag == A + "feed" and feed.nsmap.get(None) == NS
    for el in [feed, *feed.findall(A + "entry")]:
        assert re.match(r"[a-z][a-z0-9+.-]*:", text(el, "id")), text(el, "id")  # an IRI
        assert text(el, "title").strip()
        assert RFC3339.fullmatch(text(el, "updated")), text(el, "updated")
    for entry in feed.findall(A + "entry"):
        assert one(one(entry, "author"), "name").text.strip()
        alternates = [ln for ln in entry.findall(A + "link") if ln.get("rel") == "alternate"]
        assert len(alternates) == 1 and alternates[0].get("href").startswith(("http://", "https://"))
        published = entry.findall(A + "published")
        assert len(published) <= 1 and all(RFC3339.fullmatch(p.text) for p in published)


def get_feed(live, params=None, path: str = "/feed.atom"):
    status, headers, body = live.get(path, params)
    assert status == 200, body[:300]
    assert headers["Content-Type"] == ATOM_TYPE
    feed = etree.fromstring(body)
    check_required(feed)
    return feed


def entries(feed) -> list:
    return feed.findall(A + "entry")


def article_ids(feed) -> list[str]:
    ids = [text(e, "id") for e in entries(feed)]
    assert all(i.startswith(TAG + "article:") for i in ids), ids
    return [i.removeprefix(TAG + "article:") for i in ids]


def link(el, rel: str) -> str:
    return next(ln.get("href") for ln in el.findall(A + "link") if ln.get("rel") == rel)


def categories(entry, facet: str) -> list[str]:
    return [c.get("term") for c in entry.findall(A + "category") if c.get("scheme") == TAG + facet]


def api_newest(live, params: dict) -> list[dict]:
    params = {k: v for k, v in params.items() if k not in ("page", "per_page", "sort")}
    status, data = live.json("/api/search", {**params, "sort": "newest", "per_page": 50})
    assert status == 200
    return data["hits"]


# -- the feed is the search, newest first ---------------------------------------------------
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "chuyển đổi số"},
        {"q": "chuyen doi so", "partner": ["VNPT", "Viettel"]},
        {"province_current": "Lào Cai", "year": "2024"},
        {"province": "Bắc Kạn"},
        {"kind": "agreement"},
        {"from": "2023-01-01", "to": "2024-06-30"},
        {"duplicates": "1", "off_topic": "1"},
        {"q": "VNPT", "sort": "relevance", "page": "2", "per_page": "5"},  # sort and paging: ignored
    ],
)
def test_entries_are_the_newest_search_results(live, params):
    feed = get_feed(live, params)
    hits = api_newest(live, params)
    assert hits and article_ids(feed) == [h["id"] for h in hits]
    for entry, hit in zip(entries(feed), hits):
        assert text(entry, "title") == hit["title"]
        assert link(entry, "alternate") == hit["url"]
        assert link(entry, "related") == f"{live.url}/article/{hit['id']}"
        assert text(entry, "published") == text(entry, "updated") == hit["published"]  # already +07:00
        assert text(entry, "summary") == hit["lead"]
        assert categories(entry, "province_current") == hit["provinces_current"]
        assert categories(entry, "partner") == hit["partners"]
        assert categories(entry, "kind") == [hit["kind"]]
    assert text(feed, "updated") == hits[0]["published"]


def test_filters_apply(live):
    viettel = get_feed(live, {"partner": "Viettel"})
    assert entries(viettel) and all("Viettel" in categories(e, "partner") for e in entries(viettel))
    lao_cai = get_feed(live, {"province_current": "Lào Cai"})
    assert entries(lao_cai) and all(categories(e, "province_current") == ["Lào Cai"] for e in entries(lao_cai))
    assert {p for e in entries(lao_cai) for p in categories(e, "province")} == {"Lào Cai", "Yên Bái"}
    agreements = get_feed(live, {"kind": "agreement"})
    labels = {
        c.get("label")
        for e in entries(agreements)
        for c in e.findall(A + "category")
        if c.get("scheme") == TAG + "kind"
    }
    assert labels == {"Thỏa thuận hợp tác"}
    thanh_hoa = entries(get_feed(live, {"source": "thanhhoa.gov.vn"}))
    assert len(thanh_hoa) == 1 and text(one(thanh_hoa[0], "source"), "title") == "Cổng TTĐT tỉnh Thanh Hóa"
    assert one(one(thanh_hoa[0], "author"), "name").text == "Cổng TTĐT tỉnh Thanh Hóa"  # no byline: the publisher


def test_only_canonical_on_topic_copies_unless_asked(live):
    copy, off_topic = by_slug("viettel-thanh-hoa-ioc-copy").id, by_slug("thanh-hoa-bong-da").id
    default = article_ids(get_feed(live))
    assert by_slug("viettel-thanh-hoa-ioc").id in default and copy not in default and off_topic not in default
    assert copy in article_ids(get_feed(live, {"duplicates": "1"}))
    assert off_topic in article_ids(get_feed(live, {"off_topic": "1"}))


@pytest.mark.parametrize(
    "params,title",
    [
        ({"q": "VNPT", "province_current": "Thanh Hóa", "year": "2024"}, "CĐS Radar: “VNPT” · Thanh Hóa · 2024"),
        ({}, "CĐS Radar: tất cả bài viết"),
        ({"partner": ["VNPT", "Viettel"], "kind": "agreement"}, "CĐS Radar: VNPT hoặc Viettel · Thỏa thuận hợp tác"),
        ({"source": "thanhhoa.gov.vn", "from": "2021-01-01"}, "CĐS Radar: Cổng TTĐT tỉnh Thanh Hóa · từ 01/01/2021"),
        (
            {"q": "  chuyen   doi so ", "from": "2024-01-01", "to": "2024-12-31", "duplicates": "1"},
            "CĐS Radar: “chuyen doi so” · 01/01/2024–31/12/2024 · kể cả bản đăng lại",
        ),
        ({"province_current": "Thanh Hoá"}, "CĐS Radar: Thanh Hóa"),  # the old tone mark, normalized
    ],
)
def test_title_describes_the_query_in_vietnamese(live, params, title):
    assert text(get_feed(live, params), "title") == title


def test_self_link_round_trips_and_alternate_is_the_search_page(live):
    status, _, first = live.get(
        "/feed.atom",
        {
            "q": "chuyển đổi số",
            "province_current": "Thanh Hóa",
            "sort": "oldest",
            "page": "3",
            "per_page": "5",
            "utm_source": "x",
        },
    )
    assert status == 200
    feed = etree.fromstring(first)
    self_url = link(feed, "self")
    assert (
        self_url == f"{live.url}/feed.atom?q=chuy%E1%BB%83n+%C4%91%E1%BB%95i+s%E1%BB%91&province_current=Thanh+H%C3%B3a"
    )
    status, _, again = live.get(self_url.removeprefix(live.url))
    assert status == 200 and again == first  # the same feed, byte for byte
    assert text(feed, "id") == TAG + "feed" + self_url.removeprefix(f"{live.url}/feed.atom")
    alternate = link(feed, "alternate")
    assert alternate == self_url.replace("/feed.atom?", "/?") + "&sort=newest"
    status, page = live.html(alternate.removeprefix(live.url))
    assert status == 200 and '<option value="newest" selected>' in page
    shown = re.findall(r'<a class="detail" href="/article/([^"]+)"', page)
    assert shown and shown == article_ids(feed)[: len(shown)]
    assert link(get_feed(live), "self") == f"{live.url}/feed.atom"


def test_unchanged_feed_is_a_304_for_pollers(live):
    status, headers, _ = live.get("/feed.atom", {"partner": "VNPT"})
    assert status == 200 and headers["ETag"]
    req = urllib.request.Request(f"{live.url}/feed.atom?partner=VNPT", headers={"If-None-Match": headers["ETag"]})
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(req, timeout=30)
    assert e.value.code == 304


# -- errors ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "params,expected",
    [
        ({"sort": "hot"}, "sort phải là"),
        ({"from": "31/12/2024"}, "YYYY-MM-DD"),
        ({"year": "năm ngoái"}, "year phải là năm"),
        ({"from": "2024-02-01", "to": "2024-01-01"}, "trước"),
        ({"partner": [f"p{i}" for i in range(60)]}, "quá nhiều giá trị"),
    ],
)
def test_bad_parameters_are_a_plain_text_400_in_vietnamese(live, params, expected):
    status, headers, body = live.get("/feed.atom", params)
    assert status == 400 and headers["Content-Type"] == "text/plain; charset=utf-8"
    message = body.decode("utf-8")
    assert message.startswith("Tham số tìm kiếm không hợp lệ: ") and expected in message


def test_paging_parameters_never_break_a_feed(live):
    """A search page URL pasted into a reader, whatever its page: always the 50 newest."""
    everything = article_ids(get_feed(live))
    for params in ({"page": "abc"}, {"page": "999"}, {"per_page": "0"}, {"page": "2", "per_page": "100"}):
        assert article_ids(get_feed(live, params)) == everything


def test_backend_down_is_a_plain_503(down_live):
    status, headers, body = down_live.get("/feed.atom", {"q": "VNPT"})
    assert status == 503 and headers["Content-Type"] == "text/plain; charset=utf-8"
    assert "Hệ thống tìm kiếm đang tạm thời không hoạt động" in body.decode("utf-8")


# -- the search page links its feed ----------------------------------------------------------
def feed_links(page: str) -> tuple[str, list[str]]:
    head = page.split("</head>", 1)[0]
    in_head = re.findall(r'<link rel="alternate" type="application/atom\+xml" title="[^"]*" href="([^"]*)">', head)
    visible = re.findall(r'<a class="feed" href="([^"]*)"[^>]*>Theo dõi \(Atom\)</a>', page)
    return html.unescape(visible[0]) if len(visible) == 1 else "", [html.unescape(h) for h in in_head]


def test_search_page_links_the_feed_of_its_query(live):
    status, page = live.html("/", {"q": "VNPT", "partner": "VNPT", "sort": "oldest", "page": "2", "per_page": "5"})
    assert status == 200
    visible, in_head = feed_links(page)
    assert visible == "/subscribe?q=VNPT&partner=VNPT" and in_head == ["/feed.atom?q=VNPT&partner=VNPT"]
    assert 'title="CĐS Radar: “VNPT” · VNPT"' in page
    feed = get_feed(live, path=in_head[0])
    assert text(feed, "title") == "CĐS Radar: “VNPT” · VNPT"
    assert article_ids(feed) == [h["id"] for h in api_newest(live, {"q": "VNPT", "partner": "VNPT"})]
    assert feed_links(live.html("/")[1]) == ("/subscribe", ["/feed.atom"])


def test_subscribe_page_explains_the_feed_and_gives_its_url(live):
    status, page = live.html("/subscribe", {"q": "VNPT", "partner": "vnpt", "sort": "oldest", "page": "3"})
    assert status == 200 and "<h1>Theo dõi tìm kiếm: “VNPT” · VNPT</h1>" in page
    assert "nguồn tin Atom" in page and "trình đọc tin" in page
    url = html.unescape(re.search(r'<input id="feed-url" type="text" readonly value="([^"]+)"', page).group(1))
    assert url == f"{live.url}/feed.atom?q=VNPT&partner=VNPT"  # absolute, ready to paste
    assert 'href="/?q=VNPT&amp;partner=VNPT&amp;sort=newest"' in page  # the results, as the feed orders them
    assert article_ids(get_feed(live, path=url.replace(live.url, ""))) == [
        h["id"] for h in api_newest(live, {"q": "VNPT", "partner": "VNPT"})
    ]


@pytest.mark.parametrize("path", ["/feed.atom", "/subscribe"])
def test_unknown_parameters_are_refused_as_on_the_api(live, path):
    status, headers, body = live.get(path, {"provnce": "Thanh Hóa"})
    assert status == 400 and "provnce" in body.decode("utf-8")


def test_a_search_with_no_results_yet_can_still_be_followed(live):
    status, page = live.html("/", {"q": "tàu vũ trụ sao hỏa"})
    visible, in_head = feed_links(page)
    assert status == 200 and visible.startswith("/subscribe?") and len(in_head) == 1
    feed = get_feed(live, path=in_head[0])
    assert entries(feed) == [] and text(feed, "title") == "CĐS Radar: “tàu vũ trụ sao hỏa”"


def test_invalid_search_offers_no_feed(live):
    status, page = live.html("/", {"sort": "hot"})
    assert status == 400 and feed_links(page) == ("", [])


# -- awkward articles: no date, a hostile URL, control characters, more than 50 matches ------
def odd_articles() -> list[Article]:
    many = [
        Article(
            url=f"https://tin.example.vn/vnpt/{i}.html",
            source="tin.example.vn",
            title=f"VNPT tin số {i}",
            lead=f"Sapo {i}",
            body="chuyển đổi số",
            partners=["VNPT"],
            year=2024,
            published=(
                dt.datetime(2024, 1, 1, 8, tzinfo=dt.timezone(dt.timedelta(hours=7))) + dt.timedelta(days=i)
            ).isoformat(),
        )
        for i in range(52)
    ]
    odd = dict(source="mobi.example.vn", body="chuyển đổi số\n\nĐoạn hai.", partners=["MobiFone"])
    return many + [
        Article(
            url="https://mobi.example.vn/utc.html", title="MobiFone giờ UTC", published="2024-08-01T03:00:00Z", **odd
        ),
        Article(
            url="https://mobi.example.vn/naive.html",
            title="MobiFone giờ không múi",
            published="2024-07-01T10:00:00",
            **odd,
        ),
        Article(
            url="javascript:alert(1)",
            title="<script>alert(1)</script> MobiFone\x0b tin\x1f lạ",
            lead="Sapo\x00 có\x08 ký tự điều khiển",
            published="2024-06-01T09:00:00+07:00",
            **odd,
        ),
        Article(
            url="https://mobi.example.vn/ngay.html",
            title="MobiFone chỉ có ngày",
            published="2023-05-06",
            author="Nguyễn Văn B",
            **odd,
        ),
        Article(
            url="https://mobi.example.vn/khong-ngay.html",
            title="MobiFone không rõ ngày",
            fetched_at="2025-03-01T02:30:00Z",
            **odd,
        ),
        Article(url="https://mobi.example.vn/khong-gi.html", title="MobiFone không rõ gì", **odd),
    ]


@pytest.fixture(scope="module")
def odd_live(tmp_path_factory):
    with live_over(tmp_path_factory.mktemp("feed-odd"), odd_articles()) as live:
        yield live


def test_at_most_the_50_newest(odd_live):
    feed = get_feed(odd_live, {"partner": "VNPT"})
    titles = [text(e, "title") for e in entries(feed)]
    assert titles == [f"VNPT tin số {i}" for i in range(51, 1, -1)]
    assert "52 bài" in text(feed, "subtitle") and "50 bài mới nhất" in text(feed, "subtitle")


def test_dates_are_vietnam_time_and_undated_articles_say_so(odd_live):
    feed = get_feed(odd_live, {"partner": "MobiFone"})
    assert article_ids(feed) == [h["id"] for h in api_newest(odd_live, {"partner": "MobiFone"})]
    by_title = {text(e, "title"): e for e in entries(feed)}
    published = {t: [p.text for p in e.findall(A + "published")] for t, e in by_title.items()}
    assert published["MobiFone giờ UTC"] == ["2024-08-01T10:00:00+07:00"]
    assert published["MobiFone giờ không múi"] == ["2024-07-01T10:00:00+07:00"]
    assert published["MobiFone chỉ có ngày"] == ["2023-05-06T00:00:00+07:00"]
    assert published["MobiFone không rõ ngày"] == published["MobiFone không rõ gì"] == []
    assert text(by_title["MobiFone không rõ ngày"], "updated") == "2025-03-01T09:30:00+07:00"  # when fetched
    assert text(by_title["MobiFone không rõ gì"], "updated") == "1970-01-01T07:00:00+07:00"  # unknown, stable
    assert "không rõ ngày đăng" in text(feed, "subtitle")
    assert text(feed, "updated") == "2025-03-01T09:30:00+07:00"
    assert one(one(by_title["MobiFone chỉ có ngày"], "author"), "name").text == "Nguyễn Văn B"
    assert text(by_title["MobiFone chỉ có ngày"], "summary") == "chuyển đổi số"  # no lead: 1st paragraph


def test_hostile_article_content_stays_text_and_unsafe_urls_stay_out(odd_live):
    status, _, body = odd_live.get("/feed.atom", {"partner": "MobiFone"})
    assert status == 200 and b"javascript:" not in body and b"<script>" not in body
    feed = etree.fromstring(body)
    entry = next(e for e in entries(feed) if "MobiFone" in text(e, "title") and "lạ" in text(e, "title"))
    assert text(entry, "title") == "<script>alert(1)</script> MobiFone tin lạ"  # shown as text, controls gone
    assert text(entry, "summary") == "Sapo có ký tự điều khiển"
    art_id = Article(url="javascript:alert(1)").id
    assert link(entry, "alternate") == f"{odd_live.url}/article/{art_id}"
    assert [ln.get("rel") for ln in entry.findall(A + "link")] == ["alternate"]
