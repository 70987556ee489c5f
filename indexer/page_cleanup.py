"""Tidy a page's DOM before trafilatura reads it: layout tables and named furniture.

Two things trafilatura handles badly on Vietnamese portals: old CMSs lay the whole page out in
<table>s (trafilatura then emits the page as one table row: "| | Giá quýt … Thứ Bảy, 28/10/2023
…"), and share bars, rating widgets, author boxes and comment forms sit inside the article
container. Layout tables (those holding block elements) become <div>s; elements whose class or
id names furniture are dropped. Title, date, author and lead are read from the untouched tree.

Class words are a guess, and real layouts name their article columns with furniture words
(VnExpress's ``sidebar-1`` holds the article, Drupal's ``layout-content has-aside`` too, a
``tag-content`` or ``views-row`` wrapper may be the story): so an element is never dropped
when it holds a large share of the page's prose (text in paragraphs, headings, list items,
captions), and state tokens (``has-*``, ``is-*``, ``with-*``, ``no-*``) say nothing about what
an element is. A ``<button>`` is dropped only when it holds no blocks: a mis-nested
``<button>`` that the parser stretched around ``<main>`` is unwrapped, not deleted.
Captions (``<figcaption>``, ``caption`` classes) are dropped unless ``keep_captions`` (photo
stories, where the captions are the story: see :mod:`indexer.extraction`).
"""

from __future__ import annotations

import copy
import re
import threading

_BLOCKS = {
    "div",
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "table",
    "form",
    "article",
    "section",
    "header",
    "footer",
    "nav",
    "img",
}
_TABLE_PARTS = {"table", "tbody", "thead", "tfoot", "tr", "td", "th"}
# Class/id words (split on - _ space and camelCase) that name furniture, never article text.
_FURNITURE = re.compile(
    r"(?:^| )(share|sharing|social|comments?|comment box|binh luan|y kien|related|tin lien quan|"
    r"tin khac|cac tin khac|other news|tin cung chuyen muc|tags?|tu khoa|keywords?|rating|vote|"
    r"danh gia|print|toolbar|tool|cong cu|breadcrumbs?|crumb|path|pager|pagination|pagenav|"
    r"counter|thong ke|hits|views?|luot xem|advert|ads|quang cao|banner|author|tac gia|createdby|"
    r"byline|signature|date|time|ngay dang|published|article info|post date|box forum|forum|"
    r"newsletter|subscribe|navigation|nav|menu|sidebar|col right|right col|aside|footer|"
    r"header top|top links|marquee|search|login|poll|tham do|latest|tin moi|"
    r"source|nguon)(?: |$)"
)
_CAPTION = re.compile(r"(?:^| )(caption|chu thich)(?: |$)")
_DROP_TAGS = {"script", "style", "noscript", "iframe", "select", "textarea"}
_PROSE_TAGS = {"p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "figcaption", "pre", "dd", "td"}
# An element holding this share of the page's prose is an article column, whatever its name.
_PROTECTED_SHARE = 0.4
_STATE_TOKEN = re.compile(r"^(?:has|is|with|no|not|text-with|js)[-_]", re.I)
_KEEP_TAGS = {"html", "body", "main", "article"}
_CAMEL = re.compile(r"([a-z])([A-Z])")


def class_words(el) -> str:
    """ "detail__sapo newsBox" → "detail sapo news box": class/id as lowercase words."""
    tokens = f"{el.get('class', '')} {el.get('id', '')}".split()
    raw = " ".join(t for t in tokens if not _STATE_TOKEN.match(t))
    raw = _CAMEL.sub(r"\1 \2", raw)
    return " ".join(re.split(r"[-_\s]+", raw.lower())).strip()


def _is_layout_table(table) -> bool:
    for el in table.iterdescendants():
        if isinstance(el.tag, str) and el.tag in _BLOCKS:
            return True
    return False


def unwrap_layout_tables(tree) -> None:
    for table in list(tree.iter("table")):
        if _is_layout_table(table):
            for el in [table, *table.iterdescendants()]:
                if isinstance(el.tag, str) and el.tag in _TABLE_PARTS:
                    el.tag = "div"
                    for attr in ("cellpadding", "cellspacing", "valign", "width", "align"):
                        el.attrib.pop(attr, None)


def prose_lengths(tree) -> dict:
    """Characters of prose (text of paragraph-like blocks) under each element."""
    sizes: dict = {}
    for el in tree.iter(*_PROSE_TAGS):
        if any(a.tag in _PROSE_TAGS for a in el.iterancestors() if isinstance(a.tag, str)):
            continue
        n = len(" ".join(el.text_content().split()))
        if not n:
            continue
        sizes[el] = sizes.get(el, 0) + n
        for a in el.iterancestors():
            sizes[a] = sizes.get(a, 0) + n
    return sizes


_CORE = threading.local()  # per thread: extraction runs in Scrapy's thread pool


def largest_text_block(tree, remember: bool = False):
    """The element whose own <p> children hold the most text: the article's body, usually.
    ``remember``: the tree will not change, so the answer is kept for the next caller (the
    lead finder and the fullness guard ask about the same parsed page)."""
    root = tree.getroottree().getroot() if hasattr(tree, "getroottree") else tree
    if remember and getattr(_CORE, "root", None) is root:
        return _CORE.core
    best = _largest_text_block(tree)
    if remember:
        _CORE.root, _CORE.core = root, best
    return best


def _largest_text_block(tree):
    best, best_n = None, 0
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        n = sum(len(c.text_content()) for c in el if isinstance(c.tag, str) and c.tag == "p")
        if n > best_n:
            best, best_n = el, n
    return best


def _holds_blocks(el) -> bool:
    return any(isinstance(d.tag, str) and d.tag in _BLOCKS for d in el.iterdescendants())


def drop_furniture(tree, keep_captions: bool = False) -> int:
    """Remove elements named as furniture, but never one that holds much of the prose."""
    prose = prose_lengths(tree)
    root = tree.getroottree().getroot()
    total = prose.get(root, 0) or 1
    core = largest_text_block(tree)
    protected = set(core.iterancestors()) | {core} if core is not None else set()
    removed = 0
    for el in list(tree.iter()):
        if not isinstance(el.tag, str) or el.tag in _KEEP_TAGS or el.getparent() is None:
            continue
        if el.tag in _DROP_TAGS or (el.tag == "figcaption" and not keep_captions):
            el.drop_tree()
            removed += 1
            continue
        if el.tag == "button":
            if _holds_blocks(el):
                el.drop_tag()  # a parser-stretched <button>: keep inside
            else:
                el.drop_tree()
            removed += 1
            continue
        words = class_words(el)
        if not words:
            continue
        caption = _CAPTION.search(words)
        if not _FURNITURE.search(words) and not (caption and not keep_captions):
            continue
        if (el in protected or prose.get(el, 0) >= _PROTECTED_SHARE * total) and not caption:
            continue  # an article column named "sidebar-1"…
        el.drop_tree()
        removed += 1
    return removed


def prepare_tree(tree, keep_captions: bool = False):
    """A cleaned copy of ``tree`` for body extraction (the original is left as it was)."""
    work = copy.deepcopy(tree)
    unwrap_layout_tables(work)
    drop_furniture(work, keep_captions)
    return work
