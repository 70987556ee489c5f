"""The sources files: validation names the source and the field, the rest still load; the
real-world set covers portals, papers and partner newsrooms; the demo set fills ${DEMO_PORT}."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from crawltools import write_sources

from config.sources import SourceError, load_sources

CONFIG = Path(__file__).resolve().parents[2] / "config"
GOOD = {
    "name": "ok",
    "kind": "portal",
    "allowed_domains": ["example.gov.vn"],
    "start_urls": ["https://example.gov.vn/"],
}


@pytest.mark.parametrize(
    "change, field",
    [
        ({"kind": "blog"}, "kind"),
        ({"allowed_domains": []}, "allowed_domains"),
        ({"start_urls": ["ftp://x/"]}, "start_urls[0]"),
        ({"feeds": "https://x/rss"}, "feeds"),
        ({"article_patterns": ["(unclosed"]}, "article_patterns[0]"),
        ({"schedule": "every hour"}, "schedule"),
        ({"selectors": {"title": 5}}, "selectors"),
        ({"max_pages": -1}, "max_pages"),
        ({"start_urls": []}, "start_urls"),
        ({"title": 5}, "title"),
        ({"title": "   "}, "title"),
        ({"article_pattern": [r"/bai/\d+"]}, "article_pattern"),  # a typo is not ignored
        ({"selectors": {"titel": "h1"}}, "selectors.titel"),
        ({"selectors": {"remove": ["div.ad", 5]}}, "selectors"),
        ({"selectors": {"remove": ["div.ad", "//div["]}}, "selectors.remove[1]"),
        ({"evidence": [{"url": "https://example.gov.vn/a-1.html", "kind": "page", "seen": "x"}]}, "evidence[0].kind"),
        ({"evidence": [{"url": "https://example.gov.vn/a-1.html", "kind": "article"}]}, "evidence[0].seen"),
        (
            {"evidence": [{"url": "https://example.gov.vn/a", "kind": "article", "seen": "x", "sen": "y"}]},
            "evidence[0].sen",
        ),
        ({"verification": "checked"}, "verification"),
        ({"verification": "verified"}, "verification"),  # verified needs evidence
        (
            {
                "verification": "contradicted",
                "evidence": [{"url": "https://example.gov.vn/a-1.html", "kind": "article", "seen": "x"}],
            },
            "verification_note",
        ),
        ({"verification": "unverified", "schedule": "0 * * * *"}, "schedule"),
    ],
)
def test_a_bad_source_names_its_field_and_the_others_load(tmp_path, change, field):
    path = write_sources(tmp_path / "s.yaml", [dict(GOOD, name="bad", **change), GOOD])
    errors: list[SourceError] = []
    assert [s.name for s in load_sources(path, errors=errors)] == ["ok"]
    assert [(e.source, e.field) for e in errors] == [("bad", field)]
    assert f"source 'bad': field '{field}'" in str(errors[0])
    with pytest.raises(SourceError):
        load_sources(path)


def test_an_unknown_key_is_named_with_the_closest_known_one(tmp_path):
    path = write_sources(tmp_path / "s.yaml", [dict(GOOD, article_pattern=[r"/bai/\d+"])])
    with pytest.raises(SourceError, match=r"field 'article_pattern': unknown key; did you mean 'article_patterns'\?"):
        load_sources(path)
    path = write_sources(tmp_path / "s.yaml", [dict(GOOD, selectors={"boddy": "div.x"})])
    with pytest.raises(SourceError, match=r"did you mean 'body'\?"):
        load_sources(path)


def test_remove_selectors_evidence_and_verification_are_read(tmp_path):
    evidence = [
        {"url": "https://example.gov.vn/tin/a-1.html", "kind": "article", "seen": "somewhere, 2026-12-06"},
        {"url": "https://example.gov.vn/tin", "kind": "listing", "seen": "x", "expected_miss": "why"},
    ]
    path = write_sources(
        tmp_path / "s.yaml",
        [
            dict(
                GOOD,
                selectors={"body": "div.noi-dung", "remove": ["div.quang-cao", "//div[@class='chia-se']"]},
                evidence=evidence,
                verification="contradicted",
                verification_note="moved",
            )
        ],
    )
    (source,) = load_sources(path)
    assert source.selectors["remove"] == ["div.quang-cao", "//div[@class='chia-se']"]
    assert (source.evidence, source.verification, source.verification_note) == (evidence, "contradicted", "moved")


def test_duplicate_names_are_refused(tmp_path):
    errors: list[SourceError] = []
    load_sources(write_sources(tmp_path / "s.yaml", [GOOD, GOOD]), errors=errors)
    assert [(e.source, e.field) for e in errors] == [("ok", "name")]


def test_title_is_optional_and_tidied(tmp_path):
    path = write_sources(tmp_path / "s.yaml", [GOOD, dict(GOOD, name="tt", title=" Báo  Diễn đàn\nDoanh nghiệp ")])
    assert [(s.name, s.title) for s in load_sources(path)] == [("ok", ""), ("tt", "Báo Diễn đàn Doanh nghiệp")]


@pytest.mark.parametrize("name", ["sources.yaml", "sources.demo.yaml"])
def test_every_configured_source_has_a_title_readers_know(name):
    sources = load_sources(CONFIG / name, {"DEMO_PORT": "8800"})
    titles = [s.title for s in sources]
    assert all(titles) and len(set(titles)) == len(titles)
    assert all(t != s.name for t, s in zip(titles, sources))
    by_name = {s.name: s.title for s in sources}
    assert by_name.get("diendandoanhnghiep", "Báo Diễn đàn Doanh nghiệp") == "Báo Diễn đàn Doanh nghiệp"
    assert by_name.get("thanhhoa-portal") == "Cổng TTĐT tỉnh Thanh Hóa"


def test_demo_titles_match_the_real_world_ones():
    real = {s.name: s.title for s in load_sources(CONFIG / "sources.yaml")}
    demo = {s.name: s.title for s in load_sources(CONFIG / "sources.demo.yaml", {"DEMO_PORT": "8800"})}
    assert {n: real.get(n) for n in demo} == demo  # `make serve` labels the demo index from sources.yaml


def test_real_world_sources():
    sources = load_sources(CONFIG / "sources.yaml")
    assert len(sources) >= 25
    domains = {d for s in sources for d in s.allowed_domains}
    for needed in (
        "tuyenquang.gov.vn",
        "thanhhoa.gov.vn",
        "backan.gov.vn",
        "baochinhphu.vn",
        "vietnamnet.vn",
        "dx.gov.vn",
        "vnpt.com.vn",
        "viettel.com.vn",
        "mobifone.vn",
    ):
        assert needed in domains
    assert {s.kind for s in sources} == {"portal", "press", "partner"}
    for s in sources:
        assert s.article_patterns, s.name
        assert s.verification in ("verified", "contradicted", "unverified"), s.name
        # evidence first: a source is scheduled exactly when real article URLs of it were seen
        assert bool(s.schedule) == (s.verification != "unverified"), s.name
        if s.verification != "unverified":
            assert any(e["kind"] == "article" for e in s.evidence), s.name
        assert all(re.match(r"https://", u) for u in s.start_urls + s.sitemaps + s.feeds + s.listings)
        if s.kind == "portal" and s.name.endswith("-portal") and s.name != "dx-portal":
            assert s.province, s.name


def test_demo_sources_fill_the_port():
    sources = load_sources(CONFIG / "sources.demo.yaml", {"DEMO_PORT": "8800"})
    assert len(sources) == 6
    assert all(":8800/" in u for s in sources for u in s.start_urls)


def test_every_current_province_has_a_source():
    """After the July 2025 merger: at least one portal or provincial paper for each of the 34."""
    from indexer.enrichment.admin_units import province_tables, to_current

    sources = load_sources(CONFIG / "sources.yaml")
    covered = {to_current(s.province) for s in sources if s.province and s.kind in ("portal", "press")}
    assert all(to_current(s.province) for s in sources if s.province), "a province name is misspelt"
    assert sorted(set(province_tables()[2]) - covered) == []
    for needed in (
        "ictvietnam.vn",
        "chuyendoiso.baoquangninh.vn",
        "qdnd.vn",
        "dantri.com.vn",
        "vietnamplus.vn",
        "danang.vnpt.com.vn",
    ):
        assert needed in {d for s in sources for d in s.allowed_domains}
