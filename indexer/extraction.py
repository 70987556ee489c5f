"""HTML + URL → the parts of an article: title, lead, body paragraphs, date, author, image, URL.

trafilatura finds the main text and htmldate reads machine dates; this module adds what they
lack on Vietnamese sites: per-site selector overrides from the source config, the page's own
headline instead of "<title> - Cổng thông tin…", the sapo as lead (its own field, out of the
body: :mod:`indexer.lead`), furniture removal
(:mod:`indexer.boilerplate`), Vietnamese visible dates with year inference
(:mod:`indexer.page_dates`) — or, when the page and the crawl give no date at all, the
year of a /yyyy/mm/ URL folder — and quality flags instead of exceptions for bad pages.

It must never lose the article or raise: trafilatura runs with its default balance (with
``favor_recall`` it sometimes picked a small side block over the article); a photo story,
whose text is its captions, is read again with captions kept (flag ``captions_kept``); and
:mod:`indexer.fullness` checks the result against plain trafilatura and the page's own article
markup, keeping the fuller text (flags ``text_from_trafilatura``, ``text_from_markup``). Any
error left is caught at the top: the page gets ``extractor_failed``, never an exception.
"""

from __future__ import annotations

import copy
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import trafilatura
from lxml import html as lhtml
from trafilatura.settings import use_config

from indexer import boilerplate, fullness
from indexer.article import lead_and_body
from indexer.container import recover_paragraphs
from indexer.dates import FoundDate, parse_iso, year_month_from_url
from indexer.html_tree import first_text, json_ld, meta, parse_html, select, text_lines, text_of
from indexer.lead import description_block, lead_candidates, place_lead
from indexer.normalize import canonical, canonical_lines
from indexer.page_cleanup import class_words, prepare_tree
from indexer.page_dates import find_publication_date

logger = logging.getLogger(__name__)

_CONFIG = use_config()
_CONFIG.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")  # signals break in Scrapy's threads
_CONFIG.set("DEFAULT", "MIN_OUTPUT_SIZE", "1")
_CONFIG.set("DEFAULT", "MIN_EXTRACTED_SIZE", "1")

_TITLE_SEPARATORS = re.compile(r"\s+(?:[-|–—:»]|::)\s+")
_SITE_WORDS = re.compile(
    r"(cổng thông tin|cổng ttđt|báo |tạp chí|newsroom|điện tử|\.vn\b|\.com\b|"
    r"online|portal|trang tin)",
    re.I,
)
_AUTHOR_CLASSES = ("author", "tac gia", "tacgia", "createdby", "byline", "signer", "signature")
_SHORT_TEXT = 400
_AUTHOR_PREFIX = re.compile(r"^(tác giả|bài và ảnh|bài, ảnh|bài|người viết|by)\s*[:：]\s*", re.I)
# Byline words around a name ("Written by: X", "Posted byX", "View all posts by X").
_BYLINE_WORDS = re.compile(
    r"^(?i:(?:written|posted|reviewed|view all posts|read the latest|"
    r"more stories|articles)\s*(?:by|from)|by)(?=[\s:：]|[A-ZĐ])\s*[:：]?\s*"
)
_TRAILING_DATE = re.compile(r"\s*[\d/.\-:,| ]*\d[\d/.\-:,| ]*$")
_NOT_A_NAME = re.compile(r"^(?:about the author|author|authors|by|tác giả|admin|unknown)$", re.I)


@dataclass
class Extracted:
    title: str = ""
    lead: str = ""
    paragraphs: list[str] = field(default_factory=list)  # the body: never the lead
    date: FoundDate | None = None
    date_how: str = ""
    url_year_month: tuple[int, int] | None = None  # /yyyy/mm/ in the URL when no date was found
    author: str = ""
    image: str = ""
    canonical_url: str = ""
    language: str = ""
    site_name: str = ""
    flags: list[str] = field(default_factory=list)

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def text(self) -> str:
        """Lead and body: the whole text."""
        return lead_and_body(self.lead, self.body)


def strip_site_name(title: str, site_name: str = "") -> str:
    """ "Tiêu đề - Cổng thông tin điện tử tỉnh X" → "Tiêu đề" (also "Site | Tiêu đề").

    Cuts at separators only while the cut-off part looks like a site name, so a headline
    with its own dash ("Công nghiệp - Viễn thông Quân đội") keeps it, with the dash as typed.
    """
    site_key = canonical_lines(site_name).lower()

    def is_site(part: str) -> bool:
        p = part.strip().lower()
        return bool(p) and (
            bool(site_key and (p in site_key or site_key in p))
            or bool(_SITE_WORDS.search(part) and len(part.split()) <= 10)
        )

    changed = True
    while changed:
        changed = False
        seps = list(_TITLE_SEPARATORS.finditer(title))
        if not seps:
            break
        last, first = seps[-1], seps[0]
        if is_site(title[last.end() :]):
            title, changed = title[: last.start()], True
        elif is_site(title[: first.start()]):
            title, changed = title[first.end() :], True
    return title.strip()


def _title(tree, selectors, doc_title: str, site_name: str) -> str:
    if selectors.get("title"):
        t = first_text(tree, selectors["title"])
        if t:
            return canonical_lines(t)
    page_title = canonical_lines(meta(tree, "og:title", "twitter:title") or doc_title or "")
    stripped = strip_site_name(page_title, site_name) if page_title else ""
    heads = [
        canonical_lines(text_of(h))
        for h in select(tree, "//h1 | //*[@itemprop='headline'] | //h2[contains(@class,'title')]")
    ]
    heads = [h for h in heads if 8 <= len(h) <= 400]
    key, short = page_title.lower(), stripped.lower()
    for h in heads:  # the headline that the <title> (maybe truncated) agrees with
        hl = h.lower()
        if hl in key or (short and (hl.startswith(short) or short.startswith(hl))):
            return h
    for h in heads[:1]:  # the visible headline, reworded for search engines in <title>
        if short and _word_overlap(h.lower(), short) >= 0.7:
            return h
    if stripped and not _SITE_WORDS.search(stripped):
        return stripped
    return heads[0] if heads else stripped


def _word_overlap(a: str, b: str) -> float:
    wa, wb = set(re.findall(r"\w+", a)), set(re.findall(r"\w+", b))
    return len(wa & wb) / max(len(wa | wb), 1)


def _class_elements(tree, classes: tuple[str, ...]) -> list:
    """Elements whose class/id words include one of ``classes`` ("detail__sapo" → sapo)."""
    pattern = re.compile(r"(?:^| )(" + "|".join(re.escape(c) for c in classes) + r")(?: |$)")
    out = []
    for el in tree.iter():
        if isinstance(el.tag, str) and el.tag not in ("body", "html", "li", "a"):
            words = class_words(el)
            if words and pattern.search(words):
                out.append(el)
    return out


def _name(text: str) -> str:
    """A byline reduced to the name, or "" when it is not one (a heading, "About the Author")."""
    t = _BYLINE_WORDS.sub("", _AUTHOR_PREFIX.sub("", canonical_lines(text or "")))
    t = _TRAILING_DATE.sub("", t).strip(" ,;|-–*")
    words = t.split()
    if not t or _NOT_A_NAME.match(t) or not 1 <= len(words) <= 6 or len(t) > 80 or re.search(r"[\d\"“”?!]", t):
        return ""
    lower = sum(1 for w in words if w[:1].islower() and w not in ("de", "van", "von", "with", "và"))
    return "" if lower > len(words) // 2 else t


def _author(tree, selectors, doc_author: str, ld: dict) -> str:
    if selectors.get("author"):
        t = first_text(tree, selectors["author"])
        if t:
            return canonical_lines(t)
    for el in _class_elements(tree, _AUTHOR_CLASSES):
        lines = text_lines(el)  # "Thạc sĩ X<br>Giảng viên khoa …": the name line
        first = _name(lines[0]) if lines else ""
        if len(first) >= 2:
            return first
    author = ld.get("author")
    if isinstance(author, list):
        author = author[0] if author else ""
    if isinstance(author, dict):
        author = author.get("name", "")
    for cand in (author, doc_author, meta(tree, "author", "article:author")):
        name = _name(str(cand or ""))
        if name:
            return name
    return ""


def _body_tree(tree, selectors, keep_captions: bool = False):
    """The tree trafilatura should read: the body selector's subtree if configured, tidied,
    minus whatever the source's ``remove`` selectors (one, a list, or comma-separated) name."""
    clean = None
    if selectors.get("body"):
        nodes = [n for n in select(tree, selectors["body"]) if not isinstance(n, str)]
        if nodes:
            wrapper = parse_html("<html><body><div></div></body></html>")
            holder = wrapper.find("body/div")
            for n in nodes:
                holder.append(copy.deepcopy(n))
            clean = prepare_tree(wrapper, keep_captions)
    if clean is None:
        clean = prepare_tree(tree, keep_captions)
    remove = selectors.get("remove") or []
    for sel in [remove] if isinstance(remove, str) else list(remove):
        for node in select(clean, sel):
            if not isinstance(node, str) and node.getparent() is not None:
                node.drop_tree()
    return clean


def _paragraphs(text: str, title: str, author: str, flags: list[str], clean_tree) -> list[str]:
    lines = [canonical_lines(x) for x in (text or "").split("\n")]
    lines = [x for x in lines if x]
    lines = recover_paragraphs(clean_tree, lines, title) or lines
    kept, reasons = boilerplate.clean_lines(lines)
    if reasons:
        flags.append("boilerplate_removed")
    return _tidy(kept, title, author)


_SHARE_LINE = re.compile(
    r"^(?:chia sẻ|share)\s*:?\s*(?:(?:facebook|twitter|zalo|in bài|gửi email|"
    r"email|linkedin|print|in)\s*)+$",
    re.I,
)
_DATE_LINE = re.compile(r"^(?:(?:thứ\s+\w+|chủ nhật)\s*,?\s*)?[\d\s/:.|,\-–()h]+(?:\(?GMT\s*\+\s*7\)?)?$", re.I)


def _tidy(kept: list[str], title: str, author: str) -> list[str]:
    """Without the headline, date/byline lines near the top, a closing author line, share bars."""
    kept = [x for x in kept if not _SHARE_LINE.match(x)]
    out = []
    for i, line in enumerate(kept):
        if i < 3 and (
            line == title
            or line == author
            or boilerplate.is_header_noise(line)
            or (len(line) < 40 and _DATE_LINE.match(line))
        ):
            continue
        if author and line == author and i >= len(kept) - 3:
            continue
        out.append(line)
    return out


def extract(
    html: str, url: str, *, selectors: Mapping[str, str] | None = None, hints: Mapping[str, str] | None = None
) -> Extracted:
    """Never raises on bad HTML: an empty or unreadable page gives flags, not an exception."""
    try:
        return _extract(html, url, dict(selectors or {}), dict(hints or {}))
    except Exception:  # a bug on hostile markup must not stop a crawl
        logger.warning("extraction failed on %s: page kept with flags only (flag extractor_failed)", url, exc_info=True)
        return Extracted(flags=["extractor_failed", "no_text", "no_title", "no_date"])


def _run_trafilatura(clean_tree, url: str, flags: list[str]) -> dict:
    try:
        doc = trafilatura.bare_extraction(
            lhtml.tostring(clean_tree, encoding="unicode"),
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            deduplicate=False,
            config=_CONFIG,
        )
    except Exception:  # trafilatura bugs on hostile markup: keep going,
        logger.warning(
            "trafilatura failed on %s: article kept without body text (flag extractor_failed)", url, exc_info=True
        )  # say so, flag and log
        flags.append("extractor_failed")
        doc = None
    return (doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)) if doc else {}


def _captions_length(tree) -> int:
    return sum(len(text_of(c)) for c in tree.iter("figcaption"))


def _extract(html: str, url: str, selectors: dict, hints: dict) -> Extracted:
    out = Extracted()
    tree = parse_html(html)
    if tree is None:
        out.flags += ["no_text", "no_title", "no_date"]
        return out
    ld = json_ld(tree)
    clean_tree = _body_tree(tree, selectors)
    d = _run_trafilatura(clean_tree, url, out.flags)
    out.site_name = canonical_lines(meta(tree, "og:site_name") or d.get("sitename") or "")
    doc_title = first_text(tree, "//title") or d.get("title") or ""
    out.title = _title(tree, selectors, doc_title, out.site_name)
    out.author = _author(tree, selectors, d.get("author") or "", ld)
    out.paragraphs = _paragraphs(d.get("text") or "", out.title, out.author, out.flags, clean_tree)
    captions = _captions_length(tree)
    if captions and captions > len(" ".join(out.paragraphs)):  # a photo story
        clean_tree = _body_tree(tree, selectors, keep_captions=True)
        flags: list[str] = []
        d2 = _run_trafilatura(clean_tree, url, flags)
        again = _paragraphs(d2.get("text") or "", out.title, out.author, flags, clean_tree)
        if len(" ".join(again)) > len(" ".join(out.paragraphs)):
            out.paragraphs = again
            out.flags = [f for f in out.flags if f != "boilerplate_removed"] + flags
            out.flags.append("captions_kept")
    if not selectors.get("body"):  # a configured body selector is the source's word
        tidy = lambda lines: _tidy(lines, out.title, out.author)  # noqa: E731
        out.paragraphs, fallback = fullness.fuller_text(
            out.paragraphs, tree, html, url, _CONFIG, tidy, _leftover_furniture
        )
        if fallback:
            out.flags.append(fallback)
    description = meta(tree, "description", "og:description")
    candidates = lead_candidates(tree, selectors.get("lead"))
    shown = description_block(tree, canonical_lines(description))
    if shown:
        candidates.append(shown)
    had_text = bool(out.paragraphs)
    out.lead, out.paragraphs = place_lead(out.paragraphs, candidates, canonical_lines(description))
    # The page's own text, lead included (a lead read from the description is not the page's).
    page_text = [out.lead, *out.paragraphs] if had_text else []
    text = "\n\n".join(page_text)
    found = find_publication_date(tree, html, url, selectors=selectors, hints=hints, ld=ld, text=text)
    if found:
        out.date, out.date_how = found
    image = meta(tree, "og:image", "twitter:image") or ld.get("image") or d.get("image") or ""
    if isinstance(image, (list, dict)):
        image = image[0] if isinstance(image, list) and image else image
        image = image.get("url", "") if isinstance(image, dict) else str(image)
    out.image = urljoin(url, image) if image else ""
    canon = (select(tree, "//link[@rel='canonical']/@href") or [meta(tree, "og:url")])[0]
    out.canonical_url = urljoin(url, str(canon).strip()) if canon else url
    lang = (select(tree, "/html/@lang") or [""])[0] or d.get("language") or ""
    out.language = str(lang).split("-")[0].lower() or ("vi" if re.search("[ạ-ỹđ]", text) else "")
    if not page_text:
        out.flags.append("no_text")
    elif len(text) < _SHORT_TEXT:
        out.flags.append("short_text")
    if not out.title:
        out.flags.append("no_title")
    if out.date is None:
        out.flags.append("no_date")
        out.url_year_month = _url_year_month(url, out.canonical_url, hints.get("fetched_at"))
        if out.url_year_month:
            out.flags.append("year_from_url")
    elif not out.date.has_year:
        out.flags.append("year_inferred")
    if _leftover_furniture(page_text):
        out.flags.append("boilerplate_suspected")
    return out


def _url_year_month(url: str, canonical_url: str, fetched_at: str | None) -> tuple[int, int] | None:
    """/yyyy/mm/ of the fetched URL, else of a same-host canonical URL (a page fetched as
    ?option=com_content&id=N may declare /index.php/<cat>/2023/04/<slug>.html); never a year
    after the crawl."""
    found = year_month_from_url(url)
    if found is None and canonical_url and urlsplit(canonical_url).hostname == urlsplit(url).hostname:
        found = year_month_from_url(canonical_url)
    crawled = parse_iso(fetched_at)
    if found and crawled and found[0] > crawled.value.year:
        return None
    return found


_SHORT_LINE = 25  # a menu item, a date, a counter — or a subheading
_PROSE_LINE = 80  # a sentence or more


def _leftover_furniture(paragraphs: list[str]) -> bool:
    """Many very short lines left in the body: menus or lists trafilatura kept. A short line
    followed by prose is the article's own subheading ("Thực trạng", "Giải pháp") and does not
    count: a report with three subheadings over four paragraphs is not a menu."""
    short = sum(
        1
        for i, p in enumerate(paragraphs)
        if len(p) < _SHORT_LINE and not (i + 1 < len(paragraphs) and len(paragraphs[i + 1]) >= _PROSE_LINE)
    )
    return len(paragraphs) >= 6 and short / len(paragraphs) > 0.4


__all__ = ["Extracted", "extract", "strip_site_name", "canonical"]
