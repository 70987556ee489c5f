"""Fetched page -> Article: the single place the steps are chained.

The crawler's pipelines, the ``reextract`` command and ``python -m indexer extract`` all call
:func:`build_article`, so a page archived in WARC rebuilds to exactly the Article the crawl made.
Steps: decode bytes (:mod:`indexer.charsets`) → extract (:mod:`indexer.extraction`) →
normalize (:mod:`indexer.normalize`, applied inside extraction) → enrich
(:mod:`indexer.enrichment`). Near-duplicate clustering needs other articles and runs after,
in :mod:`indexer.duplicates`.

``hints`` (all optional): ``date`` (ISO; sitemap lastmod, RSS pubDate, listing date — used when
the page shows no date, to add the time to a day-only date, and to infer the year of "Chiều
11-11"), ``title`` (used when the page has none), ``fetched_at`` (ISO; stored, and the last
resort for year inference), ``category`` (listing/breadcrumb label, for the kind classifier).

Error policy: HTML that is empty, malformed or junk never raises — the Article carries
``quality_flags`` so nothing is silently lost: ``no_text``, ``short_text`` (< 400 characters),
``no_title``, ``no_date``, ``year_inferred`` (day-month date, year from URL/hints/crawl date),
``year_from_url`` (no date anywhere, so ``published`` is None, but ``year`` comes from a /yyyy/mm/
URL folder; the month is dropped, since an Article has no month without a day),
``boilerplate_removed`` (furniture lines were cut), ``boilerplate_suspected`` (many menu-like
lines remain), ``text_from_trafilatura`` / ``text_from_markup`` (our cleanup lost the article, or
took a menu for it: plain trafilatura's text or the page's own article markup was kept, see
:mod:`indexer.fullness`), ``captions_kept`` (a photo story: its captions are its text),
``legacy_encoding:tcvn3``/``:vni``, ``extractor_failed`` (trafilatura or extraction raised;
the text comes from the page structure alone), ``enricher_failed:<name>:<error>``; both
failures are also logged with their traceback.
Content that is not HTML at all (PDF, images, JSON, feeds, by Content-Type or magic bytes)
raises :class:`ExtractionError`, because an Article built from it would be garbage; the
caller logs it and moves on.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from config.settings import Settings
from config.sources import Source
from indexer.article import Article
from indexer.charsets import decode
from indexer.enrichment import EnrichContext, Enricher, load_enrichers, run_enrichers
from indexer.extraction import extract
from indexer.normalize import canonical_lines, search_key

_NON_HTML_TYPES = (
    "application/pdf",
    "image/",
    "audio/",
    "video/",
    "application/json",
    "application/zip",
    "application/octet-stream",
    "application/msword",
    "application/vnd.",
    "application/rss+xml",
    "application/atom+xml",
    "font/",
)
_MAGIC = (
    b"%PDF",
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"PK\x03\x04",
    b"\xd0\xcf\x11\xe0",
    b"RIFF",
    b"ID3",
    b"\x1f\x8b",
)


class ExtractionError(ValueError):
    """The response is not an HTML page (says which type); nothing to extract."""


def _header(headers: Mapping[str, str] | None, name: str) -> str:
    for key, value in (headers or {}).items():
        if key.lower() == name:
            return value.decode("latin-1") if isinstance(value, bytes) else str(value)
    return ""


def check_html(body: bytes, content_type: str) -> None:
    """Raise :class:`ExtractionError` for content that is clearly not an HTML page."""
    ctype = content_type.split(";")[0].strip().lower()
    if ctype and any(ctype.startswith(t) for t in _NON_HTML_TYPES):
        raise ExtractionError(f"not an HTML page: Content-Type {ctype}")
    if body[:8].lstrip().startswith(_MAGIC):
        raise ExtractionError("not an HTML page: binary content (" + repr(body[:4]) + ")")
    head = body[:512].lstrip().lower()
    if not ctype and (
        head.startswith(b"<?xml")
        and (b"<rss" in head or b"<urlset" in head or b"<feed" in head or b"<sitemapindex" in head)
    ):
        raise ExtractionError("not an HTML page: XML feed or sitemap")


def enrichers_for(settings: Settings | Mapping[str, Any] | None) -> list[Enricher]:
    """The enrichers a run's settings choose (ENRICHERS, PARTNERS_FILE, TOPIC_THRESHOLD...),
    built once per process for each distinct settings. ``settings`` may be the plain
    ``Settings.as_dict()``: that is what the crawl sends to its extraction worker processes.
    None means the built-in defaults, ignoring the environment (tests and benchmarks)."""
    values = settings if isinstance(settings, Mapping) or settings is None else settings.as_dict()
    return list(_enrichers_for(tuple(sorted((values or {}).items()))))


@lru_cache(maxsize=8)
def _enrichers_for(values: tuple[tuple[str, Any], ...]) -> tuple[Enricher, ...]:
    return tuple(load_enrichers(Settings(**dict(values))))


def _same_site(a: str, b: str) -> bool:
    ha, hb = urlsplit(a).hostname or "", urlsplit(b).hostname or ""
    strip = lambda h: h[4:] if h.startswith("www.") else h  # noqa: E731
    return bool(ha) and strip(ha) == strip(hb)


def _canonical_url(found: str, fetched: str) -> str:
    """Trust <link rel=canonical> only on the same site and not pointing at the home page."""
    if not found or found == fetched:
        return fetched
    parts = urlsplit(found)
    if parts.scheme not in ("http", "https") or not _same_site(found, fetched):
        return fetched
    if parts.path in ("", "/") and not parts.query:
        return fetched
    return found


def build_article(
    body: bytes,
    url: str,
    *,
    headers: Mapping[str, str] | None = None,
    source: Source | None = None,
    hints: Mapping[str, str] | None = None,
    enrichers: Sequence[Enricher] | None = None,
    settings: Settings | Mapping[str, Any] | None = None,
) -> Article:
    """Bytes of one fetched page → a normalized, enriched Article (see module doc for errors).

    Enrichment uses ``enrichers`` if given, else those ``settings`` choose (:func:`enrichers_for`;
    the crawl, ``reextract`` and ``python -m indexer extract`` always pass their run's settings),
    else the built-in defaults.
    """
    body = body or b""
    content_type = _header(headers, "content-type")
    check_html(body, content_type)
    hints = {k: v for k, v in (hints or {}).items() if v}
    decoded = decode(body, content_type or None)
    selectors = dict(getattr(source, "selectors", None) or {})
    ex = extract(decoded.text, url, selectors=selectors, hints=hints)
    flags = list(ex.flags)
    if decoded.legacy:
        flags.append(f"legacy_encoding:{decoded.legacy}")
    title = ex.title or canonical_lines(hints.get("title", ""))
    article = Article(
        url=_canonical_url(ex.canonical_url, url),
        fetched_url=url,
        title=title,
        lead=ex.lead,
        body=ex.body,
        published=ex.date.iso() if ex.date else None,
        author=ex.author,
        image=ex.image,
        language=ex.language or "vi",
        fetched_at=hints.get("fetched_at"),
        source=source.name if source else "",
        source_title=source.title if source else "",
        source_kind=source.kind if source else "",
        source_province=source.province if source else "",
        quality_flags=flags,
        content_hash=hashlib.sha1(search_key(ex.text).encode("utf-8")).hexdigest(),  # lead and body
    )
    if ex.date is not None:
        article.year = ex.date.value.year
    elif ex.url_year_month:  # the year only: with no day, ``published`` stays None
        article.year = ex.url_year_month[0]
    ctx = EnrichContext(source=source, hints=dict(hints), category=hints.get("category", ""))
    run_enrichers(article, list(enrichers) if enrichers is not None else enrichers_for(settings), ctx)
    return article
