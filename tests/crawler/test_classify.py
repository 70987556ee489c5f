"""`scrapy classify`: what the crawler makes of a URL and why — run on every evidence URL of the
real sources file (the URLs public material shows for each source), and on the rules it reports:
offsite, traps, configured documents, patterns. The spider asks the same crawler.url_rules."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from crawltools import PROJECT, make_crawler, run_scrapy, write_sources
from scrapy.settings import Settings

from config.sources import load_sources, parse_source
from crawler.commands.classify import rules_for
from crawler.url_rules import UrlRules, classify

CONFIG = Path(__file__).resolve().parents[2] / "config"
REAL = CONFIG / "sources.yaml"


def _settings() -> Settings:
    settings = Settings()
    settings.setmodule("crawler.settings")
    return settings


def _classify(urls: list[str], sources: Path, tmp_path, *extra: str) -> list[dict]:
    proc = run_scrapy("classify", *extra, *urls, data_dir=tmp_path / "d", sources=sources)
    lines = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    assert [line["url"] for line in lines] == urls  # one line per URL, in order
    return lines


def test_every_evidence_url_classifies_as_its_evidence_says(tmp_path):
    evidence = [(s.name, e) for s in load_sources(REAL) for e in s.evidence]
    assert len(evidence) >= 100
    lines = _classify([e["url"] for _, e in evidence], REAL, tmp_path)
    hits, misses = 0, []
    for (name, ev), line in zip(evidence, lines):
        assert set(line) >= {"url", "source", "kind", "rule"} and line["rule"]
        if line["kind"] == ev["kind"] and line["source"] == name:
            hits += 1
            assert "expected_miss" not in ev, f"{ev['url']} is classified right: drop its expected_miss"
        else:
            misses.append((name, ev, line))
    unexplained = [(n, e["url"], line["kind"], line["rule"]) for n, e, line in misses if "expected_miss" not in e]
    assert unexplained == []  # every miss is explained in the sources file
    assert hits / len(evidence) >= 0.95, f"{hits}/{len(evidence)}"


def test_the_rule_that_decided_is_reported(tmp_path):
    sources = write_sources(
        tmp_path / "s.yaml",
        [
            {
                "name": "mini",
                "kind": "press",
                "allowed_domains": ["bao.example.vn"],
                "start_urls": ["https://bao.example.vn/"],
                "feeds": ["https://bao.example.vn/rss/home.rss"],
                "article_patterns": [r"-post\d+\.html$"],
                "pagination_patterns": [r"[?&]page=(\d+)"],
            }
        ],
    )
    urls = [
        "https://bao.example.vn/chuyen-doi-so-post123.html#binh-luan",
        "https://bao.example.vn/kinh-te?page=2",
        "https://bao.example.vn/rss/home.rss",
        "https://bao.example.vn/",
        "https://bao.example.vn/lien-he",
        "https://bao.example.vn/lich/2150/01/x-post1.html",
        "https://bao.example.vn/a-post1.html;jsessionid=ABC",
        "https://other.example.com/a-post1.html",
        "mailto:toa-soan@bao.example.vn",
    ]
    got = [(line["source"], line["kind"], line["rule"]) for line in _classify(urls, sources, tmp_path)]
    assert got == [
        ("mini", "article", r"article_patterns[0] -post\d+\.html$"),
        ("mini", "listing", r"pagination_patterns[0] [?&]page=(\d+)"),
        ("mini", "feed", "configured in feeds[0]"),
        ("mini", "listing", "configured in start_urls[0]"),
        ("mini", "other", "matches no article_patterns or pagination_patterns"),
        ("mini", "excluded", "crawler trap: calendar"),
        ("mini", "article", r"article_patterns[0] -post\d+\.html$"),
        (None, "excluded", "not in allowed_domains of any source"),
        (None, "excluded", "not an http(s) URL"),
    ]
    one = _classify(["https://other.example.com/a-post1.html"], sources, tmp_path, "--source", "mini")
    assert (one[0]["kind"], one[0]["rule"]) == ("excluded", "not in allowed_domains ['bao.example.vn']")


def test_urls_can_come_on_stdin(tmp_path):
    urls = [
        "https://vnexpress.net/cach-cac-nuoc-doi-pho-cu-soc-nang-luong-tu-trung-dong-5047363.html",
        "https://fpt.com/vi/tin-tuc/page/2",
    ]
    env = {**os.environ, "CDS_SOURCES_FILE": str(REAL), "CDS_DATA_DIR": str(tmp_path / "d")}
    proc = subprocess.run(
        [sys.executable, "-m", "scrapy", "classify", "-"],
        cwd=PROJECT,
        env=env,
        input="\n".join(urls),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [(line["source"], line["kind"]) for line in lines] == [
        ("vnexpress-so-hoa", "article"),
        ("fpt-newsroom", "listing"),
    ]


def test_the_most_specific_domain_decides():
    """chuyendoiso.baoquangninh.vn is its own source although baoquangninh.vn covers it."""
    rules = rules_for(load_sources(REAL), _settings())
    verdict = classify("https://chuyendoiso.baoquangninh.vn/day-manh-tien-trinh-chuyen-doi-so-3356244.html", rules)
    assert (verdict.source, verdict.kind) == ("chuyendoiso-baoquangninh", "article")
    verdict = classify(
        "https://baoquangninh.vn/quang-ninh-tren-chang-duong-chuyen-doi-so-toan-dien-3201586.html", rules
    )
    assert (verdict.source, verdict.kind) == ("baoquangninh", "article")


@pytest.mark.parametrize(
    "url, kind",
    [
        ("https://fpt.com/vi/tin-tuc/page/2", "listing"),  # once taken for an article
        ("https://fpt.com/vi/tin-tuc/tin-fpt", "listing"),
        ("https://vneconomy.vn/kinh-te-so.htm", "listing"),  # a section, not an article
        ("https://vneconomy.vn/thoi-su.htm", "other"),
        ("https://www.tuyenquang.gov.vn/vi/post/x-y?type=NEWS&id=1", "article"),
    ],
)
def test_old_misreadings_stay_fixed(url, kind):
    rules = rules_for(load_sources(REAL), _settings())
    assert classify(url, rules).kind == kind


def test_the_spider_reads_links_as_classify_reports(tmp_path):
    """One set of rules: the spider built for a source answers as `classify` does for it."""
    from crawler.spiders.source import SourceSpider

    rules = {r.source.name: r for r in rules_for(load_sources(REAL), _settings())}
    for name in ("fpt-newsroom", "vneconomy-kinh-te-so", "vnpt-newsroom"):
        crawler = make_crawler(tmp_path / name, CDS_SOURCES_FILE=str(REAL), JOB_STATE_RESUME=False)
        spider = SourceSpider.from_crawler(crawler, source=name)
        try:
            assert spider.rules.source.article_patterns == rules[name].source.article_patterns
            for url in [e["url"] for e in rules[name].source.evidence] + ["https://fpt.com/vi/tin-tuc/tin-fpt"]:
                kind = rules[name].link_kind(url)[0]
                assert (spider.is_article(url), spider.is_listing(url)) == (kind == "article", kind == "listing"), url
        finally:
            spider.closed("finished")


def test_no_article_patterns_means_every_sitemap_entry_but_listings():
    """The spider's own reading: without article patterns a sitemap entry is an article unless a
    pagination pattern says it is a listing page."""
    rules = UrlRules(
        parse_source(
            {
                "name": "s",
                "kind": "portal",
                "allowed_domains": ["x.gov.vn"],
                "sitemaps": ["https://x.gov.vn/sitemap.xml"],
                "pagination_patterns": [r"/trang-(\d+)"],
            }
        )
    )
    assert rules.is_article("https://x.gov.vn/tin/a") and not rules.is_listing("https://x.gov.vn/tin/a")
    assert rules.is_listing("https://x.gov.vn/tin/trang-2") and not rules.is_article("https://x.gov.vn/tin/trang-2")


def test_sources_shows_each_sources_verification_state(tmp_path):
    base = {"kind": "press", "allowed_domains": ["a.example.vn"], "start_urls": ["https://a.example.vn/"]}
    seen = [{"url": "https://a.example.vn/b-1.html", "kind": "article", "seen": "test"}]
    sources = write_sources(
        tmp_path / "s.yaml",
        [
            dict(base, name="checked", verification="verified", evidence=seen),
            dict(base, name="guessed", verification="unverified"),
            dict(base, name="plain"),
        ],
    )
    rows = json.loads(run_scrapy("sources", "--json", data_dir=tmp_path / "d", sources=sources).stdout)
    assert {r["source"]: r["verification"] for r in rows} == {
        "checked": "verified",
        "guessed": "unverified",
        "plain": "-",
    }
    text = run_scrapy("sources", data_dir=tmp_path / "d", sources=sources).stdout
    assert "verification" in text.splitlines()[0]
    assert any(line.startswith("guessed") and "unverified" in line.split() for line in text.splitlines())
