"""Every fetched article page, kept as WARC under DATA_DIR/warc/<source>/.

The archive is what makes extraction reproducible: ``scrapy reextract`` rebuilds the index from it
through the same build_article, without touching the sites. Besides the HTTP response each record
carries what discovery knew (CDS-Hints: the sitemap/feed/listing date and title; CDS-URL: the URL
as discovered), because build_article's result depends on those hints too.

One gzip member per record, flushed at once: a SIGKILL can only truncate the last record. A write
that fails (disk full, permissions) is logged and counted (cds/errors/warc, which fails the run),
the file is cut back to its last complete record and a new file started, and the page is left
to be fetched again next run. The reader skips any damaged record and goes on with the next.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import NotConfigured
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.meta import FETCHED_AT, HINTS, KIND, LASTMOD, WARC_ERROR
from indexer.timeutil import utc_stamp

logger = logging.getLogger(__name__)

# Scrapy hands us the decoded body, so these would describe bytes the archive does not hold.
_DROP_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}


class WarcArchive:
    def __init__(self, directory: Path, max_bytes: int, stats) -> None:
        self.directory = directory
        self.max_bytes = max_bytes
        self.stats = stats
        self._file = None
        self._path: Path | None = None
        self._good = 0  # bytes of the open file that hold complete records
        self._writer: WARCWriter | None = None

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("WARC_ARCHIVE_ENABLED"):
            raise NotConfigured
        ext = cls(
            Path(crawler.settings["CDS_DATA_DIR"], "warc"),
            crawler.settings.getint("WARC_ARCHIVE_MAX_BYTES"),
            crawler.stats,
        )
        crawler.signals.connect(ext.response_received, signal=signals.response_received)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def response_received(self, response, request, spider) -> None:
        if request.meta.get(KIND) != "article" or response.status != 200:
            return
        meta = request.meta
        # the spider reuses this instant as the article's fetched_at, so reextract can match it
        meta[FETCHED_AT] = utc_stamp()
        if self.stats.get_value("cds/errors/disk_full"):  # crawler.extensions.disk_guard tripped:
            meta[WARC_ERROR] = "disk full"  # the room left is for the last commits
            return
        source = getattr(getattr(spider, "source", None), "name", "unknown")
        try:
            self._write(source, response, request)
        except OSError as exc:  # disk full, permissions, a vanished folder
            self._write_failed(response.url, exc)
            meta[WARC_ERROR] = f"{type(exc).__name__}: {exc}"
            return
        self.stats.inc_value("cds/warc/records")
        if self._good >= self.max_bytes:
            self._close()

    def _write(self, source: str, response, request) -> None:
        writer = self._open(source)
        http_headers = StatusAndHeaders(
            f"{response.status} OK",
            [
                (k.decode("latin-1"), v.decode("latin-1"))
                for k, vs in response.headers.items()
                for v in vs
                if k.decode("latin-1").lower() not in _DROP_HEADERS
            ]
            + [("Content-Length", str(len(response.body)))],
            protocol="HTTP/1.1",
        )
        meta = request.meta
        record = writer.create_warc_record(
            response.url,
            "response",
            payload=BytesIO(response.body),
            http_headers=http_headers,
            warc_headers_dict={
                "WARC-Date": meta[FETCHED_AT],
                "CDS-Source": source,
                "CDS-URL": (meta.get("redirect_urls") or [request.url])[0],
                "CDS-Hints": json.dumps(meta.get(HINTS) or {}, ensure_ascii=True),
                "CDS-Lastmod": meta.get(LASTMOD) or "",
            },
        )
        writer.write_record(record)
        self._file.flush()
        self._good = self._file.tell()

    def _write_failed(self, url: str, exc: OSError) -> None:
        """Count it, and start a fresh file: the failed record may have left half a gzip member,
        which is cut off again when possible. The page is recorded as failed in the crawl state
        (see PageItem.archive_failed) so the next run fetches and archives it."""
        self.stats.inc_value("cds/errors/warc")
        path, good = self._path, self._good
        self._close(quiet=True)
        repaired = ""
        if path is not None:
            try:
                if good:
                    os.truncate(path, good)
                else:
                    path.unlink(missing_ok=True)
                repaired = f"; {path.name} cut back to its last complete record"
            except OSError:
                repaired = f"; {path.name} keeps a damaged last record (skipped when read)"
        logger.error(
            "WARC archive write failed for %s (%s: %s)%s; the article is indexed but its "
            "URL is left to be fetched and archived again next run",
            url,
            type(exc).__name__,
            exc,
            repaired,
        )

    def _open(self, source: str) -> WARCWriter:
        if self._writer is None:
            folder = self.directory / source
            folder.mkdir(parents=True, exist_ok=True)
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
            self._path = folder / f"{stamp}-{os.getpid()}.warc.gz"
            self._file = self._path.open("ab")
            self._good = 0
            self._writer = WARCWriter(self._file, gzip=True)
            self._writer.write_record(
                self._writer.create_warcinfo_record(
                    self._path.name, {"software": "CĐS Radar crawler", "format": "WARC File Format 1.1"}
                )
            )
            self._file.flush()
            self._good = self._file.tell()
        return self._writer

    def _close(self, quiet: bool = False) -> None:
        file, self._file, self._writer, self._path = self._file, None, None, None
        if file is None:
            return
        try:
            file.close()
        except OSError as exc:
            if not quiet:
                logger.error("WARC archive: closing %s failed: %s", file.name, exc)
                self.stats.inc_value("cds/errors/warc")

    def spider_closed(self, spider) -> None:
        self._close()


@dataclass
class ArchivedPage:
    url: str  # fetched URL (what build_article got)
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
        yield from _read_file(path)


_GZIP_MAGIC = b"\x1f\x8b\x08"


def _read_file(path: Path) -> Iterator[ArchivedPage]:
    """Every intact record of one file. A damaged record (a crawl killed mid-write, a write that
    failed on a full disk) is skipped with a warning and reading resumes at the next gzip member,
    so one bad record never hides the records after it."""
    with path.open("rb") as f:
        start: int | None = 0
        while start is not None:
            f.seek(start)
            records = ArchiveIterator(f, check_digests="raise")
            try:
                for record in records:
                    if record.rec_type == "response":
                        yield _page(record)
                return
            except Exception as exc:
                bad = records.offset
                start = _next_member(f, bad + 1)
                logger.warning(
                    "WARC %s: skipped a damaged record at byte %d (%s: %s)%s",
                    path,
                    bad,
                    type(exc).__name__,
                    _printable(str(exc)),
                    "" if start is None else f"; reading on from byte {start}",
                )


def _printable(text: str, limit: int = 120) -> str:
    """Error text that may quote a line of compressed bytes, made fit for a log line."""
    return "".join(c if c.isascii() and c.isprintable() else "?" for c in text[:limit])


def _page(record) -> ArchivedPage:
    h = record.rec_headers
    body = record.content_stream().read()
    if record.payload_length >= 0 and len(body) != record.payload_length:
        raise ValueError(f"record cut short: {len(body)} of {record.payload_length} bytes")
    return ArchivedPage(
        url=h.get_header("WARC-Target-URI"),
        discovered_url=h.get_header("CDS-URL") or h.get_header("WARC-Target-URI"),
        source=h.get_header("CDS-Source") or "",
        headers=dict(record.http_headers.headers) if record.http_headers else {},
        body=body,
        hints=json.loads(h.get_header("CDS-Hints") or "{}"),
        lastmod=h.get_header("CDS-Lastmod") or None,
        date=h.get_header("WARC-Date"),
    )


def _next_member(f, offset: int, chunk: int = 1 << 20) -> int | None:
    """Where the next gzip member may start at or after ``offset`` (None at the end of the file)."""
    f.seek(offset)
    tail = b""
    while True:
        block = f.read(chunk)
        if not block:
            return None
        data = tail + block
        found = data.find(_GZIP_MAGIC)
        if found >= 0:
            return offset - len(tail) + found
        tail = data[-(len(_GZIP_MAGIC) - 1) :]
        offset += len(block)
