"""Every fetched article page, kept as WARC under DATA_DIR/warc/<source>/.

The archive is what makes extraction reproducible: ``scrapy reextract`` rebuilds the index from it
through the same build_article, without touching the sites. Besides the HTTP response each record
carries what discovery knew (CDS-Hints: the sitemap/feed/listing date and title; CDS-URL: the URL
as discovered), because build_article's result depends on those hints too.

One gzip member per record, flushed at once: a SIGKILL can only truncate the last record, which the
reader skips.
"""
from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from io import BytesIO
from pathlib import Path
from typing import Iterator

from scrapy import signals
from scrapy.exceptions import NotConfigured
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.config_bridge import data_path

logger = logging.getLogger(__name__)

# Scrapy hands us the decoded body, so these would describe bytes the archive does not hold.
_DROP_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}


class WarcArchive:
    def __init__(self, directory: Path, max_bytes: int, stats) -> None:
        self.directory = directory
        self.max_bytes = max_bytes
        self.stats = stats
        self._file = None
        self._writer: WARCWriter | None = None

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("WARC_ARCHIVE_ENABLED"):
            raise NotConfigured
        ext = cls(data_path(crawler.settings, "warc"), crawler.settings.getint("WARC_ARCHIVE_MAX_BYTES"),
                  crawler.stats)
        crawler.signals.connect(ext.response_received, signal=signals.response_received)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def response_received(self, response, request, spider) -> None:
        if request.meta.get("cds_kind") != "article" or response.status != 200:
            return
        source = getattr(getattr(spider, "source", None), "name", "unknown")
        writer = self._open(source)
        http_headers = StatusAndHeaders(
            f"{response.status} OK",
            [(k.decode("latin-1"), v.decode("latin-1")) for k, vs in response.headers.items() for v in vs
             if k.decode("latin-1").lower() not in _DROP_HEADERS]
            + [("Content-Length", str(len(response.body)))],
            protocol="HTTP/1.1")
        meta = request.meta
        # the spider reuses this instant as the article's fetched_at, so reextract can match it
        meta["cds_fetched_at"] = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        record = writer.create_warc_record(
            response.url, "response", payload=BytesIO(response.body), http_headers=http_headers,
            warc_headers_dict={
                "WARC-Date": meta["cds_fetched_at"],
                "CDS-Source": source,
                "CDS-URL": (meta.get("redirect_urls") or [request.url])[0],
                "CDS-Hints": json.dumps(meta.get("cds_hints") or {}, ensure_ascii=True),
                "CDS-Lastmod": meta.get("cds_lastmod") or "",
            })
        writer.write_record(record)
        self._file.flush()
        self.stats.inc_value("cds/warc/records")
        if self._file.tell() >= self.max_bytes:
            self._close()

    def _open(self, source: str) -> WARCWriter:
        if self._writer is None:
            folder = self.directory / source
            folder.mkdir(parents=True, exist_ok=True)
            stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f")
            path = folder / f"{stamp}-{os.getpid()}.warc.gz"
            self._file = path.open("ab")
            self._writer = WARCWriter(self._file, gzip=True)
            self._writer.write_record(self._writer.create_warcinfo_record(
                path.name, {"software": "CĐS Radar crawler", "format": "WARC File Format 1.1"}))
        return self._writer

    def _close(self) -> None:
        if self._file:
            self._file.close()
        self._file, self._writer = None, None

    def spider_closed(self, spider) -> None:
        self._close()


@dataclass
class ArchivedPage:
    url: str                     # fetched URL (what build_article got)
    discovered_url: str
    source: str
    headers: dict[str, str]
    body: bytes = field(repr=False)
    hints: dict[str, str]
    lastmod: str | None
    date: str


def archive_files(directory: Path, source: str | None = None) -> list[Path]:
    """Oldest first (names start with a UTC timestamp), so later copies of a page win."""
    pattern = f"{source}/*.warc.gz" if source else "*/*.warc.gz"
    return sorted(Path(directory).glob(pattern), key=lambda p: p.name)


def iter_archive(directory: Path, source: str | None = None) -> Iterator[ArchivedPage]:
    for path in archive_files(directory, source):
        with path.open("rb") as f:
            try:
                for record in ArchiveIterator(f):
                    if record.rec_type != "response":
                        continue
                    h = record.rec_headers
                    yield ArchivedPage(
                        url=h.get_header("WARC-Target-URI"), discovered_url=h.get_header("CDS-URL") or
                        h.get_header("WARC-Target-URI"), source=h.get_header("CDS-Source") or "",
                        headers=dict(record.http_headers.headers) if record.http_headers else {},
                        body=record.content_stream().read(),
                        hints=json.loads(h.get_header("CDS-Hints") or "{}"),
                        lastmod=h.get_header("CDS-Lastmod") or None, date=h.get_header("WARC-Date"))
            except Exception as exc:     # a record cut short by a killed crawl ends that file
                logger.warning("WARC %s: stopped at a damaged record (%s: %s)", path, type(exc).__name__, exc)
