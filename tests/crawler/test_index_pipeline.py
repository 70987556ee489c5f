"""The index pipeline's contract with a real embedded backend: URLs are marked done only after
their batch is committed; a backend that is down keeps the articles (and the URLs unmarked)."""
from __future__ import annotations

import json

import pytest
from scrapy.utils.test import get_crawler

from config.settings import Settings
from crawler.items import PageItem
from crawler.pipelines.index import IndexPipeline
from crawler.spiders.source import SourceSpider
from crawltools import FAST, crawl_state, indexed, open_backend, run_scrapy, write_sources
from indexer.article import Article
from indexer.backends import load_backend
from minisite import ON_TOPIC, MiniSite, article_html, listing_html, source_entry


def make_crawler(data_dir, **overrides):
    """A crawler as production builds it: the project's settings module plus overrides."""
    import crawler.settings as project
    settings = {k: getattr(project, k) for k in dir(project) if k.isupper()}
    settings.update({"CDS_DATA_DIR": str(data_dir), "INDEX_PIPELINE_FLUSH_SECONDS": 0,
                     "INDEX_PIPELINE_CLOSE_RETRIES": 0, **overrides})
    return get_crawler(SourceSpider, settings)


def page(n: int) -> PageItem:
    url = f"http://127.0.0.1/bai/{n}.html"
    article = Article(url=url, title=f"Chuyển đổi số {n}", body=" ".join(ON_TOPIC), topic_score=5.0,
                      on_topic=True, content_hash=f"hash{n}", source="mini")
    return PageItem(url=url, fetched_url=url, source="mini", status=200, article=article)


def test_backend_down_keeps_articles_and_leaves_urls_unmarked_until_committed(tmp_path):
    holder = load_backend(Settings(DATA_DIR=str(tmp_path)))
    holder.index([])                                  # another writer holds the index lock
    crawler = make_crawler(tmp_path, INDEX_PIPELINE_BATCH_SIZE=2)
    pipeline = IndexPipeline.from_crawler(crawler)
    pipeline.open_spider()
    for n in range(3):
        pipeline.process_item(page(n))
    state = crawl_state(tmp_path)
    assert len(pipeline.pending) == 3
    assert state.pages() == []
    assert crawler.stats.get_value("cds/index/backend_errors") >= 1

    holder.close()                                    # the backend is back
    assert pipeline.flush() is True
    assert {p["url"] for p in state.pages() if p["state"] == "done"} == {page(n).url for n in range(3)}
    assert crawler.stats.get_value("cds/articles/new") == 3
    pipeline.close_spider()
    assert len(indexed(tmp_path)) == 3


def test_a_batch_is_committed_before_its_urls_are_marked(tmp_path):
    crawler = make_crawler(tmp_path, INDEX_PIPELINE_BATCH_SIZE=2)
    pipeline = IndexPipeline.from_crawler(crawler)
    pipeline.open_spider()
    pipeline.process_item(page(1))
    assert crawl_state(tmp_path).pages() == []       # pending, not committed: not done
    pipeline.process_item(page(2))                    # batch full: committed, then marked
    backend = open_backend(tmp_path)
    assert backend.count() == 2
    backend.close()
    assert len(crawl_state(tmp_path).pages()) == 2
    pipeline.close_spider()


def test_crawl_with_backend_down_loses_nothing(tmp_path):
    site = MiniSite().start()
    try:
        for n in range(3):
            site.add(f"/bai/{n}.html", article_html(f"Chuyển đổi số: bài {n}", ON_TOPIC))
        site.add("/tin-tuc", listing_html([f"/bai/{n}.html" for n in range(3)]))
        sources = write_sources(tmp_path / "s.yaml", [source_entry(site, listings=[site.url("/tin-tuc")])])
        holder = load_backend(Settings(DATA_DIR=str(tmp_path / "data")))
        holder.index([])
        first = run_scrapy("crawl", "source", "-a", "source=mini", *FAST, "-s", "INDEX_PIPELINE_CLOSE_RETRIES=1",
                           data_dir=tmp_path / "data", sources=sources)
        holder.close()
        assert "backend still unavailable at the end of the crawl: 3 articles not committed" in first.stderr
        run = crawl_state(tmp_path / "data").runs("mini", limit=1)[0]
        assert not run["ok"] and json.loads(run["stats"])["cds/index/uncommitted"] == 3
        assert [p for p in crawl_state(tmp_path / "data").pages() if p["state"] == "done"] == []

        run_scrapy("crawl", "source", "-a", "source=mini", *FAST, data_dir=tmp_path / "data", sources=sources)
        assert len(indexed(tmp_path / "data")) == 3
        assert crawl_state(tmp_path / "data").runs("mini", limit=1)[0]["ok"]
    finally:
        site.stop()


@pytest.mark.parametrize("component, setting", [
    ("crawler.middlewares.known_urls.KnownUrlMiddleware", "KNOWN_URLS_ENABLED"),
    ("crawler.middlewares.traps.TrapFilterMiddleware", "TRAP_FILTER_ENABLED"),
    ("crawler.middlewares.content_type.ContentTypeFilterMiddleware", "CONTENT_TYPE_FILTER_ENABLED"),
    ("crawler.extensions.warc_archive.WarcArchive", "WARC_ARCHIVE_ENABLED"),
    ("crawler.extensions.run_recorder.RunRecorder", "RUN_RECORDER_ENABLED"),
])
def test_optional_components_switch_off(tmp_path, component, setting):
    from scrapy.exceptions import NotConfigured
    from scrapy.utils.misc import load_object
    cls = load_object(component)
    assert cls.from_crawler(make_crawler(tmp_path)) is not None
    with pytest.raises(NotConfigured):
        cls.from_crawler(make_crawler(tmp_path, **{setting: False}))
