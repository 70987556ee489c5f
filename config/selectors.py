"""The selector language of the sources file: each ``selectors:`` entry is XPath (it starts with
``/``, ``(`` or ``./``) or CSS, compiled to XPath by parsel's translator (so Scrapy's ``::text``
and ``::attr()`` work, and cssselect's CSS4 ``:has()``, ``:is()``, ``:contains()``, with
soupsieve's ``:-soup-contains()`` read as ``:contains()``).

It lives with the sources file because validating that file means compiling its selectors:
a typo is a SourceError naming the field when the file is loaded, before any crawl. The
extractor (indexer/html_tree.py) applies the same compiled forms to pages.
"""

from __future__ import annotations

import re
from functools import lru_cache

from cssselect import SelectorError as _CSSError
from lxml import etree
from parsel.csstranslator import HTMLTranslator


class SelectorError(ValueError):
    """A selector that is neither valid XPath nor valid CSS (the message says which and why)."""


_XPATH_START = ("/", "(", "./")
_SOUP_CONTAINS = re.compile(r":-soup-contains\(")


@lru_cache(maxsize=1024)
def compile_selector(selector: str) -> etree.XPath:
    """The compiled form of a source's CSS or XPath ``selector``; :class:`SelectorError` if bad."""
    selector = (selector or "").strip()
    if not selector:
        raise SelectorError("empty selector")
    if selector.startswith(_XPATH_START):
        try:
            return etree.XPath(selector)
        except etree.XPathSyntaxError as exc:
            raise SelectorError(f"not a valid XPath expression {selector!r}: {exc}") from None
    css = _SOUP_CONTAINS.sub(":contains(", selector)
    try:
        return etree.XPath(_translator().css_to_xpath(css))
    except (_CSSError, etree.XPathSyntaxError) as exc:
        raise SelectorError(f"not a valid CSS selector {selector!r}: {exc}") from None


@lru_cache(maxsize=1)
def _translator() -> HTMLTranslator:
    return HTMLTranslator()
