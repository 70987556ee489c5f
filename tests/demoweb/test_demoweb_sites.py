"""Every site answers like a real one: home, listings with pagination, sitemap, feed, robots."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter

from demoweb_http import fetch


def test_six_sites_on_distinct_loopback_hosts(web):
    hosts = [s.host for s in web.sites]
    assert len(web.sites) >= 6 and len(set(hosts)) == len(hosts)
    assert all(re.fullmatch(r"127\.0\.0\.\d+", h) for h in hosts)
    assert all(s.base_url == f"http://{s.host}:{web.port}/" for s in web.sites)


def test_home_robots_sitemap_feed_on_every_site(web):
    feeds = web.special_urls()["feeds"]
    for site, feed in zip(web.sites, feeds):
        home = fetch(site.base_url)
        assert home.status == 200 and "text/html" in home.headers["Content-Type"], site.name
        robots = fetch(web.url(site.name, "/robots.txt"))
        assert robots.status == 200 and "Disallow: /" in robots.text
        sm = fetch(web.url(site.name, "/sitemap.xml"))
        root = ET.fromstring(sm.body)
        assert root.tag.endswith(("urlset", "sitemapindex")), site.name
        f = fetch(feed)
        assert f.status == 200, feed
        root = ET.fromstring(f.body)
        items = root.findall(".//item") or root.findall("{http://www.w3.org/2005/Atom}entry")
        assert items, f"{site.name}: feed has no items"


def test_listing_pages_paginate_and_show_dates(web, truth):
    for site in web.sites:
        home = fetch(site.base_url).text
        listing_links = set(re.findall(r'href="([^"]+)"', home))
        spec = web.stores[site.name].spec
        cat = max(spec.categories, key=lambda c: len(web.stores[site.name].by_cat[c]))
        first = spec.listing_path(cat)
        assert first in listing_links, f"{site.name}: home does not link {first}"
        page = fetch(web.url(site.name, first))
        assert page.status == 200
        assert re.search(r"\d{1,2}/\d{1,2}/\d{4}", page.text), f"{site.name}: no dates in listing"
        assert len(web.stores[site.name].by_cat[cat]) > spec.page_size, f"{site.name}: one page only"
        second = spec.listing_path(cat, 2)
        assert second.replace("&", "&amp;") in page.text or second in page.text
        assert fetch(web.url(site.name, second)).status == 200
        assert fetch(web.url(site.name, spec.listing_path(cat, 999))).status == 404


def test_content_counts(truth, web):
    assert len(web.sites) >= 6
    assert len(truth) >= 65
    assert sum(not t["on_topic"] for t in truth) >= 15
    provinces = {p for t in truth if t["on_topic"] for p in t["provinces"]}
    assert len(provinces) >= 20
    assert {"Hà Giang", "Bắc Kạn", "Quảng Nam", "Hòa Bình", "Thừa Thiên Huế", "Quảng Bình"} <= provinces
    per_site = Counter(t["site"] for t in truth)
    assert min(per_site.values()) >= 8, per_site
    kinds = Counter(t["kind"] for t in truth)
    assert all(kinds[k] for k in ("agreement", "report", "research", "news"))
    years = {int(t["date"][:4]) for t in truth}
    assert min(years) == 2019 and max(years) == 2026


def test_truth_records_are_complete(truth):
    from demoweb.provinces import LEGACY_TO_CURRENT, PARTNERS

    for t in truth:
        assert t["title"] and t["body"] and t["url"].startswith("http://127.0.0.")
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:00\+07:00)?", t["date"])
        assert all(p in LEGACY_TO_CURRENT for p in t["provinces"])
        assert t["provinces_current"] == list(dict.fromkeys(LEGACY_TO_CURRENT[p] for p in t["provinces"]))
        assert all(p in PARTNERS for p in t["partners"])
        assert not t["primary_province"] or t["primary_province"] in t["provinces"]
    assert len({t["url"] for t in truth}) == len(truth)
