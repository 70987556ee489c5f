"""The crawl and ``scrapy reextract`` enrich articles with the run's own settings.

They once built enrichers from the defaults, so CDS_PARTNERS_FILE, CDS_ENRICHERS and
CDS_TOPIC_THRESHOLD worked in ``python -m indexer extract`` and nowhere else. A real crawl
(extraction in its worker process, as in production) and a real reextract of its WARC archive,
each with a different partner dictionary: the index shows which one was used.
"""

from __future__ import annotations

import yaml
from crawltools import FAST, indexed, run_scrapy, write_sources
from minisite import ON_TOPIC, MiniSite, article_html, listing_html, source_entry


def _partners(path, partners: dict):
    path.write_text(yaml.safe_dump({"partners": partners}, allow_unicode=True), encoding="utf-8")
    return str(path)


def test_crawl_and_reextract_use_the_runs_partner_dictionary(tmp_path):
    only_acme = _partners(tmp_path / "acme.yaml", {"Acme": {"aliases": ["Tập đoàn Acme"]}})
    acme_and_vnpt = _partners(
        tmp_path / "acme-vnpt.yaml", {"Acme Group": {"aliases": ["Tập đoàn Acme"]}, "VNPT": {"tokens": ["VNPT"]}}
    )
    site = MiniSite().start()
    try:
        site.add(
            "/bai/1.html",
            article_html(
                "Chuyển đổi số: tỉnh hợp tác với Tập đoàn Acme",
                ON_TOPIC + ["Tập đoàn Acme và VNPT Tuyên Quang sẽ cùng triển khai nền tảng dữ liệu."],
            ),
        )
        site.add("/tin-tuc", listing_html(["/bai/1.html"]))
        sources = write_sources(tmp_path / "s.yaml", [source_entry(site, listings=[site.url("/tin-tuc")])])
        data = tmp_path / "data"

        run_scrapy(
            "crawl",
            "source",
            "-a",
            "source=mini",
            *FAST,
            data_dir=data,
            sources=sources,
            env={"CDS_PARTNERS_FILE": only_acme, "CDS_CRAWL_EXTRACT_WORKERS": "1"},
        )
        [article] = indexed(data).values()
        assert article.partners == ["Acme"]  # not VNPT: the run's dictionary, in the worker

        proc = run_scrapy("reextract", data_dir=data, sources=sources, env={"CDS_PARTNERS_FILE": acme_and_vnpt})
        assert "1 articles indexed" in proc.stdout
        [article] = indexed(data).values()
        assert article.partners == ["Acme Group", "VNPT"]
    finally:
        site.stop()


def test_reextract_without_the_topic_enricher_indexes_nothing(tmp_path):
    """CDS_ENRICHERS reaches reextract too: with no topic scorer, no article scores on-topic."""
    site = MiniSite().start()
    try:
        site.add("/bai/1.html", article_html("Chuyển đổi số ở Tuyên Quang", ON_TOPIC))
        site.add("/tin-tuc", listing_html(["/bai/1.html"]))
        sources = write_sources(tmp_path / "s.yaml", [source_entry(site, listings=[site.url("/tin-tuc")])])
        data = tmp_path / "data"
        run_scrapy("crawl", "source", "-a", "source=mini", *FAST, data_dir=data, sources=sources)
        assert len(indexed(data)) == 1
        proc = run_scrapy(
            "reextract", "--clear", data_dir=data, sources=sources, env={"CDS_ENRICHERS": "provinces,partners"}
        )
        assert "0 articles indexed, 1 off-topic" in proc.stdout
        assert indexed(data) == {}
    finally:
        site.stop()


def test_one_topic_threshold_for_scorer_and_filter_however_it_is_given(tmp_path):
    """``-s CDS_TOPIC_THRESHOLD`` and the CDS_TOPIC_THRESHOLD variable both reach the crawl's filter."""
    site = MiniSite().start()
    try:
        site.add("/bai/1.html", article_html("Chuyển đổi số ở Tuyên Quang", ON_TOPIC))
        site.add("/tin-tuc", listing_html(["/bai/1.html"]))
        sources = write_sources(tmp_path / "s.yaml", [source_entry(site, listings=[site.url("/tin-tuc")])])
        strict = tmp_path / "strict"
        run_scrapy(
            "crawl",
            "source",
            "-a",
            "source=mini",
            "-s",
            "CDS_TOPIC_THRESHOLD=1000",
            *FAST,
            data_dir=strict,
            sources=sources,
        )
        assert indexed(strict) == {}
        strict_env = tmp_path / "strict-env"
        run_scrapy(
            "crawl",
            "source",
            "-a",
            "source=mini",
            *FAST,
            data_dir=strict_env,
            sources=sources,
            env={"CDS_TOPIC_THRESHOLD": "1000"},
        )
        assert indexed(strict_env) == {}
        usual = tmp_path / "usual"
        run_scrapy("crawl", "source", "-a", "source=mini", *FAST, data_dir=usual, sources=sources)
        assert len(indexed(usual)) == 1
    finally:
        site.stop()
