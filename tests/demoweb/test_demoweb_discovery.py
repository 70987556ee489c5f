"""config/sources.demo.yaml lets a crawler find every article of every site, each source using
only its own discovery channels (sitemaps, feeds or listing pages with pagination)."""

from __future__ import annotations

import re
from pathlib import Path

from demoweb_http import discover, fetch, resolve

from config.sources import load_sources

CONFIG = Path(__file__).resolve().parents[2] / "config" / "sources.demo.yaml"


def _sources(web):
    return {s.name: s for s in load_sources(CONFIG, {"DEMO_PORT": web.port})}


def test_config_has_every_site_and_each_discovery_kind(web):
    sources = _sources(web)
    assert set(sources) == {s.name for s in web.sites}
    for s in web.sites:
        assert sources[s.name].allowed_domains == [s.host]
    only_listings = [s for s in sources.values() if s.listings and not s.sitemaps and not s.feeds]
    assert only_listings and any(s.sitemaps for s in sources.values())
    assert any(s.feeds for s in sources.values())
    bodies = b"".join(fetch(u).body for s in sources.values() for u in s.sitemaps)
    assert b"<sitemapindex" in bodies and b"news:publication_date" in bodies


def test_every_truth_url_matches_its_article_patterns(web, truth):
    sources = _sources(web)
    for t in truth:
        assert any(re.search(p, t["url"]) for p in sources[t["site"]].article_patterns), t["url"]


def test_each_source_discovers_all_of_its_articles(web, truth):
    sources = _sources(web)
    for name, src in sources.items():
        expected = {t["url"] for t in truth if t["site"] == name}
        found = {resolve(u) for u in discover(src)}
        missing = expected - found
        assert not missing, f"{name}: {len(missing)} articles not discoverable, e.g. {sorted(missing)[:2]}"
