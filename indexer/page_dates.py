"""Which date on a page is its publication date, in order of trust.

1. the source's own ``date`` selector; 2. machine metadata that says "published" (meta tags,
JSON-LD, <time itemprop=datePublished>); 3. the visible date line under the headline
("Ngày Đăng: 22/2/2023 8:4", "Thứ Hai, 05/03/2024 - 10:30"); 4. a day-month lead
("Chiều 11-11, …") with the year from the URL, metadata, hints or the crawl; 5. the date the
crawler saw in a sitemap/RSS/listing (``hints["date"]``); 6. htmldate; 7. a date in the URL.
Body dates ("Nghị quyết số 48-NQ/TU ngày 15/11/2021") are never taken: they are about
something else.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from indexer.dates import FoundDate, date_from_url, find_dates, parse_date, parse_iso, permalink_day
from indexer.html_tree import meta, select, text_of
from indexer.timeutil import VN_TZ, day_start

_PUBLISHED_META = (
    "article:published_time",
    "og:published_time",
    "datePublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "dc.date.issued",
    "DC.date.issued",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
    "date",
    "DC.date",
    "dc.date",
    "created",
    "citation_publication_date",
)
_DATE_CLASS = re.compile(
    r"date|time|ngay|publish|created|post-?info|article-?info|meta|"
    r"thoi-?gian|ngaydang|ngay-dang|dateline|byline",
    re.I,
)
_VI_LETTERS = re.compile(r"[ăơưđĂƠƯĐạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]")
_LEAD_DAYPART = re.compile(r"^\s*\(?[^\n]{0,40}?(sáng|trưa|chiều|tối|đêm|ngày|hôm)\b", re.I)


def _reference(hints: Mapping[str, str], meta_date: FoundDate | None, url: str) -> date | None:
    for cand in (meta_date, parse_iso(hints.get("date")), date_from_url(url)):
        if cand is not None:
            return cand.value.date()
    crawled = parse_iso(hints.get("fetched_at"))
    return crawled.value.date() if crawled else date.today()


def _meta_date(tree, ld: dict[str, Any]) -> FoundDate | None:
    for value in [
        ld.get("datePublished"),
        meta(tree, *_PUBLISHED_META),
        *select(tree, "//time[@itemprop='datePublished' or @pubdate]/@datetime"),
        *select(tree, "//*[@itemprop='datePublished']/@content"),
    ]:
        found = parse_iso(str(value)) if value else None
        if found:
            return found
    return None


def _visible_date(tree, url: str, ref: date | None) -> FoundDate | None:
    """First dated element whose class/id looks like a date line, preferring those after <h1>."""
    heads = select(tree, "//h1 | //*[@itemprop='headline']")
    anchor = heads[0] if heads else None
    order = {el: i for i, el in enumerate(tree.iter())}
    start = order.get(anchor, 0)
    candidates = []
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag in ("script", "style", "li", "a", "ul", "body", "html"):
            continue
        attrs = f"{el.get('class', '')} {el.get('id', '')} {el.get('itemprop', '')}"
        if not _DATE_CLASS.search(attrs):
            continue
        text = text_of(el)
        if not text or len(text) > 200:
            continue
        found = parse_date(text, url=url, reference=ref)
        if found:
            candidates.append((order[el] < start, order[el], found))
    if not candidates:
        return None
    candidates.sort(key=lambda c: (c[0], c[1]))
    return candidates[0][2]


def _near_headline(tree, url: str, ref: date | None) -> FoundDate | None:
    """A date in the few short blocks right after the headline, whatever their class.

    Stops at the first long block (the article text has begun) so that dates in related-news
    lists further down are never taken.
    """
    heads = select(tree, "//h1 | //*[@itemprop='headline']")
    if not heads:
        return None
    node, seen = heads[0], 0
    while node is not None and seen < 4:
        nxt = node.getnext()
        while nxt is None and node.getparent() is not None and node.getparent().tag != "body":
            node = node.getparent()
            nxt = node.getnext()
        node = nxt
        if node is None or not isinstance(node.tag, str) or node.tag in ("script", "style"):
            continue
        text = text_of(node)
        if not text:
            continue
        seen += 1
        if len(text) > 200:
            return None
        found = parse_date(text, url=url, reference=ref)
        if found:
            return found
    return None


def _lead_date(text: str, url: str, ref: date | None) -> FoundDate | None:
    head = (text or "")[:160]
    if not _LEAD_DAYPART.match(head):
        return None
    for found in find_dates(head[:80], url=url, reference=ref):
        if found.how == "daypart":
            return found
    return None


def _is_vietnamese(tree, text: str) -> bool:
    lang = (tree.xpath("/html/@lang") or [""])[0].lower()
    return lang.startswith("vi") or bool(_VI_LETTERS.search(text or ""))


def _htmldate(tree, text: str, vietnamese: bool) -> FoundDate | None:
    """htmldate's reading. Its search of the free text (as plain trafilatura runs it) is kept
    for pages in other languages, whose date wording it knows; on Vietnamese pages it takes the
    dates of related-news lists and footers (it reads no "tháng"), so there it is off, and a
    date the article text itself mentions ("Nghị quyết … ngày 15/11/2021") is refused."""
    try:
        from htmldate import find_date

        value = find_date(tree, original_date=True, extensive_search=not vietnamese, outputformat="%Y-%m-%dT%H:%M:%S")
    except Exception:
        return None
    found = parse_iso(value) if value else None
    if found is None:
        return None
    if vietnamese and found.value.date() in {f.value.date() for f in find_dates(text or "")}:
        return None
    if found.value.hour == 0 and found.value.minute == 0:
        found = FoundDate(found.value, False, True, "htmldate")
    return found


def find_publication_date(
    tree,
    html: str,
    url: str,
    *,
    selectors: Mapping[str, str],
    hints: Mapping[str, str],
    ld: dict[str, Any],
    text: str = "",
) -> tuple[FoundDate, str] | None:
    """(date, how) where how is selector/meta/visible/headline/lead/hint/htmldate/url.

    A permalink's day (/2019/01/01/slug, /20190101/slug) is the day the CMS filed the post
    under, in the site's own time zone: it wins over any date read off the page except a
    configured selector's. A timestamp one day off it is a time-zone artifact (a UTC
    "2018-12-31T23:30:00+00:00" for a post of 1 January in Vienna), and a date further off is
    an update, a related story or a sidebar (htmldate trusts such URLs first for the same
    reason). The time of day is kept when the page's timestamp falls on that day."""
    found = _find(tree, url, selectors, hints, ld, text)
    day = permalink_day(url)
    if day and (found is None or (found[1] != "selector" and found[0].value.date() != day)):
        return FoundDate(day_start(day), False, True, "url"), "url"
    return found


def _find(
    tree, url: str, selectors: Mapping[str, str], hints: Mapping[str, str], ld: dict[str, Any], text: str
) -> tuple[FoundDate, str] | None:
    meta_date = _meta_date(tree, ld)
    ref = _reference(hints, meta_date, url)
    if selectors.get("date"):
        for node in select(tree, selectors["date"]):
            found = parse_date(text_of(node), url=url, reference=ref) or parse_iso(text_of(node))
            if found:
                return _prefer_time(found, meta_date), "selector"
    vietnamese = _is_vietnamese(tree, text)
    visible = _visible_date(tree, url, ref) or _near_headline(tree, url, ref)
    if meta_date and meta_date.has_time:
        return _shown_day(meta_date, visible), "meta"
    if not vietnamese and not meta_date:
        # Our visible-date reader knows Vietnamese, day-first dates; htmldate knows the others
        # ("November 8, 2023", month-first 03/04/2025), so on other pages it goes first.
        found = _htmldate(tree, text, vietnamese)
        if found:
            return found, "htmldate"
    if visible:
        return _prefer_time(visible, meta_date), "visible"
    if meta_date:
        return meta_date, "meta"
    hint = parse_iso(hints.get("date"))
    lead = _lead_date(text, url, ref)
    if lead:
        return _prefer_time(lead, hint), "lead"
    if hint:
        return hint, "hint"
    found = _htmldate(tree, text, vietnamese)
    if found:
        return found, "htmldate"
    found = date_from_url(url)
    return (found, "url") if found else None


def _shown_day(meta_date: FoundDate, visible: FoundDate | None) -> FoundDate:
    """A timestamp kept in its own offset (see :mod:`indexer.dates`) whose GMT+7 day is the day
    the page shows (a Vietnamese CMS writing UTC late in the evening): take the GMT+7 time."""
    vn = meta_date.value.astimezone(VN_TZ)
    if visible and vn.date() != meta_date.value.date() and visible.value.date() == vn.date():
        return FoundDate(vn, True, meta_date.has_year, meta_date.how)
    return meta_date


def _prefer_time(found: FoundDate, other: FoundDate | None) -> FoundDate:
    """Same calendar day in a more precise source (meta/RSS with a time): take its time."""
    if other and other.has_time and not found.has_time and other.value.date() == found.value.date():
        return other
    return found
