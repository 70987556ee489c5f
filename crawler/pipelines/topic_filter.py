"""Keep chuyển đổi số articles, drop the rest, count both.

The score is computed once, in the indexer (Article.topic_score); only the threshold is the
crawler's: the project setting TOPIC_THRESHOLD (``CDS_TOPIC_THRESHOLD``, or ``-s CDS_TOPIC_THRESHOLD=``),
the same value the topic enricher is built with, so the two never disagree. A dropped page is marked done at
once (there is nothing to commit), so the next run does not fetch it again. A page that was
on-topic before and is not any more passes through flagged, so the index pipeline removes it.
"""
from __future__ import annotations

import logging

from scrapy.exceptions import DropItem

from crawler.crawl_state import CrawlState

logger = logging.getLogger(__name__)


def is_on_topic(article, threshold: float) -> bool:
    """Shared with ``scrapy reextract``: an article counts when its score reaches the threshold."""
    return bool(article.body or article.title) and article.topic_score >= threshold


class TopicFilterPipeline:
    def __init__(self, threshold: float, state: CrawlState, stats) -> None:
        self.threshold = threshold
        self.state = state
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.getfloat("CDS_TOPIC_THRESHOLD"),
                   CrawlState.from_settings(crawler.settings), crawler.stats)

    def process_item(self, item):
        article = item.article
        article.on_topic = is_on_topic(article, self.threshold)
        if article.on_topic:
            self.stats.inc_value("cds/articles/on_topic")
            return item
        self.stats.inc_value("cds/articles/off_topic")
        previous = self.state.article(article.id)
        if previous and previous["on_topic"]:
            return item                     # was indexed: the index pipeline retracts it
        self.state.mark_done([item.known_url_record()])
        logger.debug("off-topic (score %.2f < %.2f): %s", article.topic_score, self.threshold, item.url)
        raise DropItem(f"off-topic, score {article.topic_score:.2f} < {self.threshold}", log_level="DEBUG")
