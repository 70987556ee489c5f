"""Reading the three kinds of discovery documents: sitemaps (index, urlset, news), RSS/Atom feeds,
and listing pages. Pure functions over bytes, so they are tested without a crawl.

Each entry carries the date the site itself gives (sitemap lastmod, news publication date, feed
pubDate, the date printed beside a listing link): it becomes ``hints['date']`` for build_article
(pages like "Chiều 11-11" have no year of their own) and the change signal for incremental runs.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from datetime import datetime
from io import BytesIO
from urllib.parse import urlsplit

from lxml import etree

from indexer.dates import parse_date
from indexer.timeutil import from_iso, from_rfc2822

MAX_XML_BYTES = 50 * 1024 * 1024  # the sitemap protocol's own uncompressed limit


def to_iso(value: str | None) -> str | None:
    """W3C datetime, RFC 822 or day-first dd/mm/yyyy -> ISO 8601; times without a zone are GMT+7."""
    if not value or not value.strip():
        return None
    value = value.strip()
    dt = from_iso(value) or from_rfc2822(value) or _day_first(value)
    return dt.isoformat() if dt else None


def _day_first(text: str) -> datetime | None:
    """The first dd/mm/yyyy date (and the clock time beside it) in ``text``, as the extractor reads
    dates on pages; one whose year is only inferred is no date for discovery."""
    found = parse_date(text)
    return found.value if found and found.has_year else None


def when(value: str | None) -> datetime | None:
    """Comparable instant of an ISO string (naive means GMT+7)."""
    iso = to_iso(value)
    return datetime.fromisoformat(iso) if iso else None


def ungzip(body: bytes) -> bytes:
    """Sitemaps are often served as .xml.gz without Content-Encoding; cap the inflated size."""
    if body[:2] != b"\x1f\x8b":
        return body
    with gzip.GzipFile(fileobj=BytesIO(body)) as f:
        data = f.read(MAX_XML_BYTES + 1)
    if len(data) > MAX_XML_BYTES:
        raise ValueError("sitemap larger than 50 MiB uncompressed")
    return data


def _xml_root(body: bytes):
    parser = etree.XMLParser(
        recover=True, resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True, remove_pis=True
    )
    try:
        root = etree.fromstring(ungzip(body).lstrip(), parser=parser)
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"not XML: {exc}") from None
    if root is None:
        raise ValueError("not XML")
    return root


def _local(el) -> str:
    tag = el.tag if isinstance(el.tag, str) else ""
    return tag.rpartition("}")[2].lower()


def _child_text(el, *names: str) -> str:
    for child in el.iter():
        if child is not el and _local(child) in names and (child.text or "").strip():
            return child.text.strip()
    return ""


def parse_sitemap(body: bytes) -> tuple[str, list[dict]]:
    """('index', [{loc, lastmod}]) or ('urlset', [{loc, lastmod, date, title}])."""
    root = _xml_root(body)
    kind = "index" if _local(root) == "sitemapindex" else "urlset"
    entries = []
    for el in root:
        if _local(el) not in ("sitemap", "url"):
            continue
        loc = next((c.text.strip() for c in el if _local(c) == "loc" and c.text), "")
        if not loc:
            continue
        lastmod = next((c.text.strip() for c in el if _local(c) == "lastmod" and c.text), "")
        entry = {"loc": loc, "lastmod": to_iso(lastmod)}
        if kind == "urlset":  # Google News sitemap: <news:news><news:publication_date>, <news:title>
            published = to_iso(_child_text(el, "publication_date"))
            entry.update(date=published or entry["lastmod"], published=bool(published), title=_child_text(el, "title"))
        entries.append(entry)
    return kind, entries


def parse_feed(body: bytes) -> list[dict]:
    """RSS 2.0, RSS 1.0 (RDF) and Atom entries as [{loc, date, lastmod, title}]."""
    root = _xml_root(body)
    entries = []
    for el in root.iter():
        name = _local(el)
        if name == "item":  # RSS 2.0 / 1.0
            loc = _child_text(el, "link") or (el.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about") or "")
            if not loc:
                guid = next((c for c in el if _local(c) == "guid"), None)
                if guid is not None and guid.get("isPermaLink", "true") != "false":
                    loc = (guid.text or "").strip()
            date = to_iso(_child_text(el, "pubdate", "date"))
            entries.append(
                {
                    "loc": loc.strip(),
                    "date": date,
                    "lastmod": None,
                    "published": bool(date),
                    "title": _child_text(el, "title"),
                }
            )
        elif name == "entry":  # Atom
            links = [c for c in el if _local(c) == "link"]
            link = next((c for c in links if c.get("rel", "alternate") == "alternate"), None)
            loc = (link.get("href") or "").strip() if link is not None else ""
            updated, published = to_iso(_child_text(el, "updated")), to_iso(_child_text(el, "published"))
            entries.append(
                {
                    "loc": loc,
                    "date": published or updated,
                    "lastmod": updated,
                    "published": bool(published),
                    "title": _child_text(el, "title"),
                }
            )
    return [e for e in entries if e["loc"]]


def merge_entries(old: dict | None, new: dict) -> dict:
    """One article listed by several documents (news sitemap, sitemap, feed): combine them the
    same way whatever order they arrived in, so a resumed or repeated crawl gives build_article
    the same hints. A publication date beats a bare lastmod (earliest wins); the newest lastmod
    is the change signal; the longest title wins."""
    if old is None:
        return dict(new)
    out = dict(old)
    rank = lambda e: (not e.get("published"), e.get("date") is None, when(e.get("date")) or 0)  # noqa: E731
    if new.get("date") and (not old.get("date") or rank(new) < rank(old)):
        out["date"], out["published"] = new["date"], new.get("published", False)
    lastmods = [m for m in (old.get("lastmod"), new.get("lastmod")) if m]
    out["lastmod"] = max(lastmods, key=when) if lastmods else None
    out["title"] = max((old.get("title") or "", new.get("title") or ""), key=lambda t: (len(t), t))
    return out


def listing_date(text: str) -> str | None:
    """The date a listing prints beside a link ("05/03/2024 10:30"), if it prints one."""
    found = _day_first(text or "")
    return found.isoformat() if found else None


def page_number(url: str, patterns: list[re.Pattern]) -> int | None:
    """Which page of a listing a URL is: the first number a pagination pattern captures
    (``trang-(\\d+)``), else the last number in the matched text; ``?start=20`` style offsets are
    monotonic too, which is all "the next page" needs."""
    for pattern in patterns:
        m = pattern.search(url)
        if not m:
            continue
        groups = [g for g in m.groups() if g and g.isdigit()]
        digits = groups or re.findall(r"\d+", m.group(0))
        if digits:
            return int(digits[-1] if not groups else groups[0])
    return None


def listing_series(url: str, patterns: list[re.Pattern]) -> str:
    """URL of a listing without its page token (``?page=3``, ``/trang-3``, ``?start=20``), so a
    first page and its later pages compare equal."""
    for pattern in patterns:
        m = pattern.search(url)
        digits = list(re.finditer(r"\d+", m.group(0))) if m else []
        if digits:
            start, end = m.start() + digits[-1].start(), m.start() + digits[-1].end()
            while start > 0 and (url[start - 1].isalpha() or url[start - 1] in "_-="):
                start -= 1
            if start > 0 and url[start - 1] in "?&/;":
                start -= 1
            url = url[:start] + url[end:]
            break
    parts = urlsplit(url.replace("&", "?", 1) if "?" not in url else url)
    query = "&".join(sorted(q for q in parts.query.split("&") if q))
    return f"{parts.netloc}{parts.path.rstrip('/')}?{query}"


def iter_links(response) -> Iterator[tuple[str, str, str]]:
    """(absolute URL, anchor text, text of the enclosing item) for each link of an HTML page.

    The enclosing item's text is read once per item: the links of one listing block share it, and
    reading it again for each was a sixth of the crawler process's time on long listings."""
    contexts: dict[object, str] = {}
    for a in response.xpath("//a[@href]"):
        href = a.attrib.get("href", "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        text = " ".join(" ".join(a.xpath(".//text()").getall()).split())
        item = a.xpath("ancestor::*[self::li or self::article or self::tr or self::div][1]")
        context = ""
        if item:
            key = item[0].root
            if key not in contexts:
                contexts[key] = " ".join(" ".join(item[0].xpath(".//text()").getall()).split())[:400]
            context = contexts[key]
        yield response.urljoin(href), text, context
