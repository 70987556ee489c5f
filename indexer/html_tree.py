"""Small, forgiving helpers over an lxml tree: parse anything, select by CSS or XPath, read meta.

Source configs give selectors in either syntax (``div.noi-dung`` or ``//div[@class='x']``);
CSS goes through parsel's translator, so Scrapy's ``::text`` and ``::attr(content)`` work as
they do in a spider, and so do the CSS4 forms per-site rules need — ``:has()``, ``:not(:has())``,
``:is()``, ``:contains()`` (cssselect ≥ 1.2) — with soupsieve's ``:-soup-contains()`` read as
``:contains()``, so a rule written for BeautifulSoup works unchanged (README: why not bs4). A selector is compiled when its source is loaded
(config/selectors.py, called by config/sources.py), so a typo is a SourceError naming the
field before any crawl; one that still fails on a page (an XPath function error) is logged
once and yields nothing, so it cannot stop a crawl.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from lxml import etree
from lxml import html as lhtml

from config.selectors import SelectorError, compile_selector

logger = logging.getLogger(__name__)

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
# C0 controls other than tab/newline/CR: libxml2 keeps some of them in text nodes, and lxml then
# refuses any text set from Python on that node ("All strings must be XML compatible"). They
# carry nothing in HTML: a form feed or vertical tab is a space, the rest go.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _control(m: re.Match) -> str:
    return " " if m.group(0) in "\x0b\x0c" else ""


_SKIP_TAGS = {"script", "style", "noscript", "template", "rt", "rp"}  # ruby: readings, not text


def parse_html(text: str):
    """An lxml HTML tree, or None when there is nothing that parses as HTML."""
    if not text or not text.strip():
        return None
    if _CONTROLS.search(text):
        text = _CONTROLS.sub(_control, text)
    text = _XML_DECL.sub("", text)
    try:
        tree = lhtml.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return None
    _separate_words(tree)
    return tree


_WORD_SEPARATORS = {
    ord(c): " " for c in "\u200b\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
}


def _separate_words(tree) -> None:
    """Zero-width and odd spaces separate words: make them plain spaces before anything else
    reads the text (trafilatura deletes U+200B, gluing "chuyển\u200bđổi" into one word)."""
    for el in tree.iter():
        if el.text and not el.text.isascii():
            el.text = el.text.translate(_WORD_SEPARATORS)
        if el.tail and not el.tail.isascii():
            el.tail = el.tail.translate(_WORD_SEPARATORS)


_warned: set[str] = set()


def select(tree, selector: str) -> list:
    """Elements (or attribute strings) for a CSS or XPath selector.

    A selector that does not compile, or fails on this page, is logged (once per selector) and
    selects nothing; sources are validated when loaded, so this is the rare leftover.
    """
    if tree is None or not selector:
        return []
    try:
        result = compile_selector(selector)(tree)
    except (SelectorError, etree.XPathError) as exc:
        if selector not in _warned:
            _warned.add(selector)
            logger.warning("selector %r selects nothing: %s", selector, exc)
        return []
    return result if isinstance(result, list) else [result]


def text_of(node) -> str:
    """Visible text of ``node`` (scripts and styles skipped), blocks separated by spaces."""
    if isinstance(node, str):
        return node
    return " ".join("".join(_walk(node)).split())


def _walk(node):
    if not isinstance(node.tag, str) or node.tag in _SKIP_TAGS:
        return
    if node.tag in ("br", "p", "div", "li", "td", "h1", "h2", "h3", "h4", "dd", "dt"):
        yield " "
    if node.text:
        yield node.text
    for child in node:
        yield from _walk(child)
        if child.tail:
            yield child.tail


def text_lines(node) -> list[str]:
    """Visible text of ``node`` split where the page breaks lines (<br>, blocks)."""
    parts: list[str] = []

    def walk(el):
        if not isinstance(el.tag, str) or el.tag in _SKIP_TAGS:
            return
        if el.tag in ("br", "p", "div", "li", "h1", "h2", "h3", "h4", "dd", "dt", "tr"):
            parts.append("\n")
        if el.text:
            parts.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(node)
    return [" ".join(x.split()) for x in "".join(parts).split("\n") if x.strip()]


def first_text(tree, selector: str) -> str:
    for node in select(tree, selector):
        t = text_of(node).strip()
        if t:
            return t
    return ""


def meta(tree, *names: str) -> str:
    """First non-empty <meta name|property|itemprop=…> content among ``names``."""
    if tree is None:
        return ""
    for name in names:
        for attr in ("property", "name", "itemprop"):
            for value in tree.xpath(f"//meta[@{attr}=$n]/@content", n=name):
                if value and value.strip():
                    return value.strip()
    return ""


def json_ld(tree) -> dict[str, Any]:
    """The first JSON-LD object describing an article (NewsArticle, Article, …), or {}."""
    if tree is None:
        return {}
    for raw in tree.xpath("//script[@type='application/ld+json']/text()"):
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        items = data if isinstance(data, list) else data.get("@graph", [data]) if isinstance(data, dict) else []
        for item in items:
            if (
                isinstance(item, dict)
                and "Article" in str(item.get("@type", ""))
                or (isinstance(item, dict) and "datePublished" in item)
            ):
                return item
    return {}
