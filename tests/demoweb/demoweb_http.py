"""A tiny HTTP client for the demoweb tests that sees what a crawler sees: status, headers, raw
bytes, text decoded with the declared charset; and a minimal discovery crawl over a source entry.

A uniquely named module (not conftest) so other test packages' conftest files cannot shadow it."""

from __future__ import annotations

import re
import unicodedata
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass


@dataclass
class Fetched:
    url: str
    status: int
    headers: dict
    body: bytes

    @property
    def charset(self) -> str:
        m = re.search(r"charset=([\w-]+)", self.headers.get("Content-Type", ""))
        return m.group(1) if m else "utf-8"

    @property
    def text(self) -> str:
        """Decoded with the declared charset and NFC-normalized, as an indexer would."""
        codec = "cp1258" if self.charset.lower() == "windows-1258" else self.charset
        return unicodedata.normalize("NFC", self.body.decode(codec))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def fetch(url: str) -> Fetched:
    """GET without following redirects; HTTP errors are results, not exceptions."""
    try:
        with _OPENER.open(url, timeout=10) as r:
            return Fetched(url, r.status, dict(r.headers), r.read())
    except urllib.error.HTTPError as e:
        return Fetched(url, e.code, dict(e.headers), e.read())


def locs(body: bytes) -> list[str]:
    root = ET.fromstring(body)
    locs = [e.text for e in root.iter() if e.tag.endswith("}loc")]
    links = [e.text for e in root.iter() if e.tag == "link" and e.text]
    links += [e.get("href") for e in root.iter() if e.tag.endswith("}link") and e.get("href")]
    return locs + links


def discover(src) -> set[str]:
    """A minimal crawler: sitemaps (recursing into indexes), feeds, listings + pagination."""
    arts, queue, seen = set(), list(src.sitemaps) + list(src.feeds), set()
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        for loc in locs(fetch(url).body):
            if loc.endswith(".xml"):  # a child sitemap of a sitemap index
                queue.append(loc)
            else:
                arts.add(loc)
    pages = list(src.listings)
    while pages:
        url = pages.pop()
        if url in seen:
            continue
        seen.add(url)
        page = fetch(url)
        base = re.match(r"https?://[^/]+", url).group(0)
        for href in re.findall(r'href="([^"#]+)"', page.text):
            full = (base + href if href.startswith("/") else href).replace("&amp;", "&")
            if any(re.search(p, full) for p in src.pagination_patterns):
                pages.append(full)
            elif any(re.search(p, full) for p in src.article_patterns):
                arts.add(full)
    return {a for a in arts if any(re.search(p, a) for p in src.article_patterns)}


def resolve(url: str) -> str:
    r = fetch(url)
    return r.headers["Location"] if r.status == 301 else url
