"""What the crawler makes of a URL of a source: article, listing, feed, sitemap, other, or
excluded — and the rule that decided. One function for the spider (which links to follow, which
sitemap entries are articles) and for ``scrapy classify`` (why was this page not crawled?), so
the two cannot disagree.

The order is the crawl's own: a host outside every source's ``allowed_domains`` is never
fetched (Scrapy's offsite filter); the documents a source names (sitemaps, feeds, listings,
start URLs) are fetched as what they are named; any other URL is a link found on one of them,
dropped when it looks like a crawler trap (TrapFilterMiddleware's rules), else an article when
an ``article_patterns`` regex matches it, a listing page when a ``pagination_patterns`` regex
does, and ignored otherwise. robots.txt is not consulted here: it needs the network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from scrapy.utils.url import url_is_from_any_domain

from config.sources import Source

KINDS = ("article", "listing", "feed", "sitemap", "other", "excluded")


@dataclass(frozen=True)
class Verdict:
    kind: str  # one of KINDS
    rule: str  # the rule that decided, as an operator reads it
    source: str = ""  # the source the URL was classified against ("" if none)
    url: str = ""  # the URL as the crawl would request it (session ids stripped)


class UrlRules:
    """A source's URL rules, compiled once. ``traps`` is a TrapFilterMiddleware (or None when the
    trap filter is switched off): its ``strip_session`` and ``trap_reason`` are the crawl's."""

    def __init__(self, source: Source, traps=None) -> None:
        self.source = source
        self.traps = traps
        self.article_res = [re.compile(p) for p in source.article_patterns]
        self.listing_res = [re.compile(p) for p in source.pagination_patterns]
        self._documents = {}
        for key, kind in (
            ("sitemaps", "sitemap"),
            ("feeds", "feed"),
            ("listings", "listing"),
            ("start_urls", "listing"),
        ):
            for i, url in enumerate(getattr(source, key)):
                self._documents.setdefault(url, (kind, f"{key}[{i}]"))

    # -- the two questions the spider asks of every link and sitemap/feed entry ------------------
    def link_kind(self, url: str) -> tuple[str, str]:
        """('article' | 'listing' | 'other', rule) by the source's patterns alone."""
        for i, r in enumerate(self.article_res):
            if r.search(url):
                return "article", f"article_patterns[{i}] {r.pattern}"
        for i, r in enumerate(self.listing_res):
            if r.search(url):
                return "listing", f"pagination_patterns[{i}] {r.pattern}"
        if not self.article_res:
            return "article", "no article_patterns: every sitemap/feed entry is an article"
        return "other", "matches no article_patterns or pagination_patterns"

    def is_article(self, url: str) -> bool:
        return self.link_kind(url)[0] == "article"

    def is_listing(self, url: str) -> bool:
        return self.link_kind(url)[0] == "listing"

    # -- the whole decision, for `scrapy classify` -------------------------------------------------
    def in_domains(self, url: str) -> bool:
        return url_is_from_any_domain(url, self.source.allowed_domains)

    def classify(self, url: str) -> Verdict:
        name = self.source.name
        url = url.split("#", 1)[0]  # as parse_listing reads links: no fragment
        if urlsplit(url).scheme not in ("http", "https"):
            return Verdict("excluded", "not an http(s) URL", name, url)
        if not self.in_domains(url):
            return Verdict("excluded", f"not in allowed_domains {self.source.allowed_domains}", name, url)
        if url in self._documents:
            kind, rule = self._documents[url]
            return Verdict(kind, f"configured in {rule}", name, url)
        if self.traps is not None:
            url = self.traps.strip_session(url)
            reason = self.traps.trap_reason(url)
            if reason:
                return Verdict("excluded", f"crawler trap: {reason}", name, url)
        kind, rule = self.link_kind(url)
        return Verdict(kind, rule, name, url)


def classify(url: str, rules: list[UrlRules]) -> Verdict:
    """Classify ``url`` against the source it belongs to: among the sources whose allowed_domains
    hold its host, the one naming the longest (most specific) domain; between equals, the one
    that gives the URL a kind other than ``other``, then the first in the file."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return Verdict("excluded", "not an http(s) URL", "", url)
    host = (parts.hostname or "").lower()
    candidates = [r for r in rules if r.in_domains(url)]
    if not candidates:
        return Verdict("excluded", "not in allowed_domains of any source", "", url)

    def specificity(r: UrlRules) -> int:
        return max(len(d) for d in r.source.allowed_domains if host == d.lower() or host.endswith("." + d.lower()))

    best = max(specificity(r) for r in candidates)
    verdicts = [r.classify(url) for r in candidates if specificity(r) == best]
    return next((v for v in verdicts if v.kind != "other"), verdicts[0])
