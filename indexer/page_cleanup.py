"""Tidy a page's DOM before trafilatura reads it: layout tables and named furniture.

Two things trafilatura handles badly on Vietnamese portals: old CMSs lay the whole page out in
<table>s (trafilatura then emits the page as one table row: "| | Giá quýt … Thứ Bảy, 28/10/2023
…"), and share bars, rating widgets, author boxes and comment forms sit inside the article
container. Layout tables (those holding block elements) become <div>s; elements whose class or
id names furniture are dropped. Title, date, author and lead are read from the untouched tree.
"""
from __future__ import annotations

import copy
import re

from lxml import html as lhtml

_BLOCKS = {"div", "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "form",
           "article", "section", "header", "footer", "nav", "img"}
_TABLE_PARTS = {"table", "tbody", "thead", "tfoot", "tr", "td", "th"}
# Class/id words (split on - _ space and camelCase) that name furniture, never article text.
_FURNITURE = re.compile(
    r"(?:^| )(share|sharing|social|comments?|comment box|binh luan|y kien|related|tin lien quan|"
    r"tin khac|cac tin khac|other news|tin cung chuyen muc|tags?|tu khoa|keywords?|rating|vote|"
    r"danh gia|print|toolbar|tool|cong cu|breadcrumbs?|crumb|path|pager|pagination|pagenav|"
    r"counter|thong ke|hits|views?|luot xem|advert|ads|quang cao|banner|author|tac gia|createdby|"
    r"byline|signature|date|time|ngay dang|published|article info|post date|box forum|forum|"
    r"newsletter|subscribe|navigation|nav|menu|sidebar|col right|right col|aside|footer|"
    r"header top|top links|marquee|search|login|poll|tham do|latest|tin moi|caption|chu thich|"
    r"source|nguon)(?: |$)")
_DROP_TAGS = {"figcaption", "script", "style", "noscript", "iframe", "button", "select", "textarea"}
_KEEP_TAGS = {"html", "body", "main", "article"}
_CAMEL = re.compile(r"([a-z])([A-Z])")


def class_words(el) -> str:
    """"detail__sapo newsBox" → "detail sapo news box": class/id as lowercase words."""
    raw = f"{el.get('class', '')} {el.get('id', '')}"
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


def drop_furniture(tree) -> int:
    """Remove elements named as furniture (but never one that holds most of the text)."""
    total = len(tree.text_content()) or 1
    removed = 0
    for el in list(tree.iter()):
        if not isinstance(el.tag, str) or el.tag in _KEEP_TAGS or el.getparent() is None:
            continue
        if el.tag in _DROP_TAGS:
            el.drop_tree()
            removed += 1
            continue
        words = class_words(el)
        if not words or not _FURNITURE.search(words):
            continue
        if len(el.text_content()) > 0.5 * total:      # a wrapper named "main-nav-content"…
            continue
        el.drop_tree()
        removed += 1
    return removed


def prepare_tree(tree):
    """A cleaned copy of ``tree`` for body extraction (the original is left as it was)."""
    work = copy.deepcopy(tree)
    unwrap_layout_tables(work)
    drop_furniture(work)
    return work


def prepare_for_extraction(tree) -> str:
    """HTML for trafilatura: :func:`prepare_tree` serialized."""
    return lhtml.tostring(prepare_tree(tree), encoding="unicode")
