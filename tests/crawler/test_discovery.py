"""Sitemaps (index, urlset, news, gzip), RSS/Atom and listing helpers, on documents shaped like
the ones Vietnamese portals and papers publish."""

from __future__ import annotations

import gzip
import re

import pytest

from crawler.discovery import listing_date, listing_series, page_number, parse_feed, parse_sitemap, to_iso

INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://baotuyenquang.com.vn/sitemap-2024.xml</loc><lastmod>2024-03-05</lastmod></sitemap>
  <sitemap><loc>https://baotuyenquang.com.vn/sitemap-2023.xml</loc></sitemap>
</sitemapindex>"""

NEWS = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>https://baotuyenquang.com.vn/chuyen-doi-so/a-1.html</loc>
    <news:news><news:publication><news:name>Báo Tuyên Quang</news:name><news:language>vi</news:language></news:publication>
      <news:publication_date>2024-03-05T10:30:00+07:00</news:publication_date>
      <news:title>Tuyên Quang đẩy mạnh chuyển đổi số</news:title></news:news></url>
  <url><loc>https://baotuyenquang.com.vn/kinh-te/b-2.html</loc><lastmod>2024-02-01T08:00:00Z</lastmod></url>
  <url><loc> </loc></url>
</urlset>""".encode()

RSS = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Tin mới</title>
<item><title>Thanh Hóa và Viettel ký thỏa thuận</title><link>https://thanhhoa.gov.vn/a.html</link>
<pubDate>Tue, 05 Mar 2024 10:30:00 +0700</pubDate></item>
<item><title>Không có link</title><guid isPermaLink="true">https://thanhhoa.gov.vn/b.html</guid></item>
<item><title>Không có gì</title><guid isPermaLink="false">abc-123</guid></item>
</channel></rss>""".encode()

ATOM = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>VNPT</title>
<entry><title>VNPT ky ket</title><link rel="alternate" href="https://vnpt.com.vn/newsroom/a"/>
<link rel="enclosure" href="https://vnpt.com.vn/a.jpg"/><published>2024-03-05T03:30:00Z</published>
<updated>2024-03-06T03:30:00Z</updated></entry></feed>"""


def test_sitemap_index_lists_child_sitemaps():
    kind, entries = parse_sitemap(INDEX)
    assert kind == "index"
    assert [e["loc"] for e in entries] == [
        "https://baotuyenquang.com.vn/sitemap-2024.xml",
        "https://baotuyenquang.com.vn/sitemap-2023.xml",
    ]
    assert entries[0]["lastmod"] == "2024-03-05T00:00:00+07:00" and entries[1]["lastmod"] is None


def test_news_sitemap_gives_publication_date_and_title():
    kind, entries = parse_sitemap(NEWS)
    assert kind == "urlset" and len(entries) == 2
    assert entries[0]["date"] == "2024-03-05T10:30:00+07:00"
    assert entries[0]["title"] == "Tuyên Quang đẩy mạnh chuyển đổi số"
    assert entries[1]["date"] == entries[1]["lastmod"] == "2024-02-01T08:00:00+00:00"


def test_gzipped_sitemap_is_inflated():
    assert parse_sitemap(gzip.compress(NEWS))[1][0]["loc"].endswith("/a-1.html")


def test_broken_xml_is_read_as_far_as_it_goes_and_garbage_raises():
    kind, entries = parse_sitemap(NEWS[: NEWS.index(b"<url><loc> </loc>")])
    assert len(entries) == 2
    with pytest.raises(ValueError):
        parse_sitemap(b"")


def test_rss_items_with_link_or_permalink_guid():
    entries = parse_feed(RSS)
    assert [e["loc"] for e in entries] == ["https://thanhhoa.gov.vn/a.html", "https://thanhhoa.gov.vn/b.html"]
    assert entries[0]["date"] == "2024-03-05T10:30:00+07:00"
    assert entries[0]["title"] == "Thanh Hóa và Viettel ký thỏa thuận"


def test_atom_entry_uses_alternate_link_and_updated_as_lastmod():
    [entry] = parse_feed(ATOM)
    assert entry["loc"] == "https://vnpt.com.vn/newsroom/a"
    assert entry["date"] == "2024-03-05T03:30:00+00:00" and entry["lastmod"] == "2024-03-06T03:30:00+00:00"


@pytest.mark.parametrize(
    "raw, iso",
    [
        ("2024-03-05", "2024-03-05T00:00:00+07:00"),
        ("2024-03-05T10:30:00Z", "2024-03-05T10:30:00+00:00"),
        ("Tue, 05 Mar 2024 10:30:00 GMT", "2024-03-05T10:30:00+00:00"),
        ("05/03/2024 10:30", "2024-03-05T10:30:00+07:00"),
        ("Thứ Ba, 5-3-2024", "2024-03-05T00:00:00+07:00"),
        ("31/02/2024", None),
        ("", None),
        ("hôm qua", None),
    ],
)
def test_dates_are_read_day_first_in_vietnam_time(raw, iso):
    assert to_iso(raw) == iso


def test_listing_date_beside_a_link():
    assert listing_date("Hội nghị chuyển đổi số (22/2/2023 8:45)") == "2023-02-22T08:45:00+07:00"
    assert listing_date("Không có ngày") is None


@pytest.mark.parametrize(
    "pattern, first, later, number",
    [
        (r"/Pages/[\w-]+\.aspx\?Page=\d+$", "http://h/Pages/cds.aspx", "http://h/Pages/cds.aspx?Page=3", 3),
        (r"/[\w-]+/trang-(\d+)$", "http://h/chuyen-doi-so/", "http://h/chuyen-doi-so/trang-2", 2),
        (r"/index\.php/[\w-]+\?start=\d+$", "http://h/index.php/tin-tuc", "http://h/index.php/tin-tuc?start=20", 20),
        (r"[?&]page=(\d+)", "http://h/x?cat=1", "http://h/x?page=4&cat=1", 4),
    ],
)
def test_pages_of_one_listing_form_one_series(pattern, first, later, number):
    patterns = [re.compile(pattern)]
    assert listing_series(first, patterns) == listing_series(later, patterns)
    assert page_number(later, patterns) == number and page_number(first, patterns) is None
    assert listing_series("http://h/other-listing?page=2", patterns) != listing_series(first, patterns)
