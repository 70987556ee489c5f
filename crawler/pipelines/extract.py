"""Page bytes -> Article, through indexer.pipeline.build_article and nothing else, so a crawl and
``scrapy reextract`` (from the WARC archive) produce the same Article from the same bytes."""
from __future__ import annotations

import logging

from scrapy.exceptions import DropItem

from crawler.crawl_state import CrawlState
from indexer.pipeline import ExtractionError, build_article

logger = logging.getLogger(__name__)


class ExtractPipeline:
    def __init__(self, crawler, state: CrawlState) -> None:
        self.crawler = crawler
        self.state = state

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, CrawlState.from_settings(crawler.settings))

    def process_item(self, item):
        source = getattr(self.crawler.spider, "source", None)
        try:
            item.article = build_article(item.body, item.fetched_url, headers=item.headers,
                                         source=source, hints=item.hints)
        except ExtractionError as exc:           # not an HTML page after all (a PDF behind .htm)
            logger.warning("skipped %s: %s", item.fetched_url, exc)
            self.crawler.stats.inc_value("cds/skipped/not_html_content")
            self.state.mark_done([item.known_url_record(on_topic=0)])
            raise DropItem(str(exc), log_level="DEBUG") from None
        except Exception:
            logger.exception("extraction failed for %s; page kept in the WARC archive, "
                             "URL left unmarked so the next run retries it", item.fetched_url)
            self.crawler.stats.inc_value("cds/errors/extract")
            raise DropItem(f"extraction failed: {item.fetched_url}", log_level="DEBUG") from None
        for flag in item.article.quality_flags:     # legacy encodings, no date, short text...
            self.crawler.stats.inc_value(f"cds/quality/{flag}")
        return item
