"""What flows from the spider through the item pipelines.

A :class:`PageItem` is a fetched article page as raw bytes plus what discovery learned about it
(hints, lastmod); the extract pipeline adds the :class:`~indexer.article.Article`. Keeping the
bytes until the article is built lets build_article see the headers (charset) exactly as the
WARC archive stores them, so ``reextract`` gives the same result.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from indexer.article import Article


@dataclass
class PageItem:
    url: str  # URL as discovered: the known-URL store's key
    fetched_url: str  # after redirects
    source: str
    status: int
    headers: dict[str, str] = field(default_factory=dict, repr=False)
    body: bytes = field(default=b"", repr=False)
    hints: dict[str, str] = field(default_factory=dict)  # {'date': ISO, 'title': ...}
    lastmod: str | None = None  # discovery's change date, stored for the next run
    etag: str = ""
    last_modified: str = ""
    fetched_at: str = ""
    article: Article | None = field(default=None, repr=False)
    change: str = ""  # new / updated / unchanged, set by the index pipeline
    archive_failed: bool = False  # the WARC archive could not store this response

    def known_url_record(self, **extra) -> dict:
        """The row the known-URL store keeps for this page once its fate is sealed.

        A page the WARC archive failed to store is recorded as ``failed``, not ``done``: the
        next run fetches it again in full (no conditional GET) and archives it, so ``reextract``
        can still rebuild its article; the article itself is indexed as usual meanwhile."""
        a = self.article
        row = {
            "url": self.url,
            "source": self.source,
            "status": self.status,
            "etag": self.etag,
            "last_modified": self.last_modified,
            "lastmod": self.lastmod,
            "fetched_at": self.fetched_at,
        }
        if self.archive_failed:
            row["state"] = "failed"
        if a is not None:
            row.update(
                article_id=a.id, content_hash=a.content_hash, on_topic=int(a.on_topic), topic_score=a.topic_score
            )
        row.update(extra)
        return row
