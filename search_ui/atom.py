"""Articles -> an Atom (RFC 4287) document, built with lxml so the feed is well-formed XML whatever
the crawled text holds (control characters, ``<script>``, lone surrogates are dropped, not echoed).

Choices a feed reader (and a journalist) can rely on:

- Entry ids are ``tag:`` URIs from the article id (a hash of the canonical URL), so a re-crawled
  article is the same entry, and the same article has the same id whichever host serves the feed.
- Dates are RFC 3339 in Vietnam time (+07:00). An article with no known publication date has no
  ``published``; its ``updated`` is the time the crawler fetched it (the time we learnt of it).
  If even that is unknown (articles indexed by hand; the crawler always records it), ``updated``
  is the Unix epoch, a date nobody mistakes for a real one and that, unlike "now", does not change
  at every poll: many readers re-show an entry whose ``updated`` moves. The subtitle says so.
- ``alternate`` links only go to http(s) originals; otherwise to the article's page on CĐS Radar,
  which every entry also links as ``related`` (all its fields, the province and partner tags).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from lxml import etree

from indexer.article import Article
from indexer.timeutil import VN_TZ, to_instant
from search_ui.presenters import KIND_LABELS

ATOM_NS = "http://www.w3.org/2005/Atom"
# Not allowed in XML 1.0 (lxml refuses them); surrogates come from badly decoded pages.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
UNKNOWN_DATE = "1970-01-01T07:00:00+07:00"
UNDATED_NOTE = "Bài không rõ ngày đăng: thời điểm cập nhật là lúc CĐS Radar tải bài (01/01/1970 nếu cũng không rõ)."
SUMMARY_MAX = 600
CATEGORY_FACETS = (("province_current", "provinces_current"), ("province", "provinces"), ("partner", "partners"))


def xml_text(value) -> str:
    return NOT_XML.sub("", "" if value is None else str(value))


def atom_date(value: str | None) -> str | None:
    """An ISO 8601 date or datetime as RFC 3339 in +07:00; naive values are Vietnam time; None if unreadable."""
    d = to_instant(str(value)) if value else None
    return d.astimezone(VN_TZ).replace(microsecond=0).isoformat() if d else None


def is_web_url(url: str | None) -> bool:
    return (url or "").strip().lower().startswith(("http://", "https://"))


@dataclass
class FeedInfo:
    """What describes the feed itself: the query it answers and where it lives."""

    id: str
    title: str
    subtitle: str
    self_url: str
    alternate_url: str  # the HTML search page of the same query
    tag_prefix: str  # "tag:<authority>,<date>:"
    now: dt.datetime


def summary_of(a: Article) -> str:
    """The lead; else the first paragraph of the body, shortened."""
    text = " ".join(xml_text(a.lead).split())
    if not text:
        first = next((p for p in xml_text(a.body).split("\n\n") if p.strip()), "")
        text = " ".join(first.split())
    return text if len(text) <= SUMMARY_MAX else text[:SUMMARY_MAX].rsplit(" ", 1)[0] + " …"


def author_of(a: Article) -> str:
    """The byline; else the publisher (the source), else the site's host: Atom wants an author."""
    return (
        xml_text(a.author).strip()
        or xml_text(a.source_label).strip()
        or urlsplit(xml_text(a.url)).hostname
        or "Không rõ"
    )


def entry_dates(a: Article) -> tuple[str, str | None]:
    """(updated, published): see the module docstring for undated articles."""
    published = atom_date(a.published)
    if published:
        return published, published
    return atom_date(a.fetched_at) or UNKNOWN_DATE, None


def _sub(parent, tag: str, text: str | None = None, **attrs):
    el = etree.SubElement(parent, f"{{{ATOM_NS}}}{tag}", {k: xml_text(v) for k, v in attrs.items()})
    if text is not None:
        el.text = xml_text(text)
    return el


def _entry(feed, a: Article, info: FeedInfo, detail_url: Callable[[str], str], source_titles: Mapping[str, str]) -> str:
    entry = _sub(feed, "entry")
    _sub(entry, "id", f"{info.tag_prefix}article:{a.id}")
    _sub(entry, "title", xml_text(a.title).strip() or "(không có tiêu đề)", type="text")
    updated, published = entry_dates(a)
    _sub(entry, "updated", updated)
    if published:
        _sub(entry, "published", published)
    detail = detail_url(a.id)
    if is_web_url(a.url):
        _sub(entry, "link", rel="alternate", type="text/html", href=a.url.strip())
        _sub(entry, "link", rel="related", type="text/html", href=detail, title="Chi tiết trên CĐS Radar")
    else:
        _sub(entry, "link", rel="alternate", type="text/html", href=detail)
    _sub(_sub(entry, "author"), "name", author_of(a))
    for facet, attr in CATEGORY_FACETS:
        for value in dict.fromkeys(getattr(a, attr)):
            _sub(entry, "category", term=value, scheme=f"{info.tag_prefix}{facet}", label=value)
    if a.kind:
        _sub(entry, "category", term=a.kind, scheme=f"{info.tag_prefix}kind", label=KIND_LABELS.get(a.kind, a.kind))
    summary = summary_of(a)
    if summary:
        _sub(entry, "summary", summary, type="text")
    if a.source:
        source = _sub(entry, "source")
        _sub(source, "id", f"{info.tag_prefix}source:{a.source}")
        _sub(source, "title", source_titles.get(a.source) or a.source_label, type="text")
    return updated


def build_feed(
    info: FeedInfo,
    articles: Iterable[Article],
    detail_url: Callable[[str], str],
    source_titles: Mapping[str, str] | None = None,
) -> bytes:
    """The feed document (UTF-8 bytes with an XML declaration); entries in the order given."""
    feed = etree.Element(f"{{{ATOM_NS}}}feed", nsmap={None: ATOM_NS})
    feed.set("{http://www.w3.org/XML/1998/namespace}lang", "vi")
    _sub(feed, "id", info.id)
    _sub(feed, "title", info.title, type="text")
    _sub(feed, "subtitle", f"{info.subtitle} {UNDATED_NOTE}", type="text")
    updated_el = _sub(feed, "updated")
    _sub(feed, "link", rel="self", type="application/atom+xml", href=info.self_url)
    _sub(feed, "link", rel="alternate", type="text/html", href=info.alternate_url, title="Trang kết quả tìm kiếm")
    _sub(feed, "generator", "CĐS Radar")
    stamps = [_entry(feed, a, info, detail_url, source_titles or {}) for a in articles]
    # The newest entry's time; an empty feed has changed, at the latest, now.
    updated_el.text = (
        max(stamps, key=dt.datetime.fromisoformat)
        if stamps
        else info.now.astimezone(VN_TZ).replace(microsecond=0).isoformat()
    )
    return etree.tostring(feed, xml_declaration=True, encoding="utf-8", pretty_print=True)
