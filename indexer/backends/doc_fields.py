"""What every backend indexes for an Article, beyond its text: facet values, dates, body.

Shared by the tantivy and Elasticsearch backends so a filter or a facet count means the same
thing on both. The ``year`` facet is :meth:`Article.years_covered`: the publication year plus
every year of an agreement period, because "what was going on with VNPT in Bắc Kạn in 2023"
must include the 2020-2025 agreement signed in 2020.
"""

from __future__ import annotations

import datetime as dt
import re

from indexer.article import Article, lead_and_body
from indexer.normalize import canonical, canonical_lines
from indexer.timeutil import day_start, to_instant

INT_FACETS = {"year", "published_year", "agreement_year"}


def published_ts(published: str | None) -> int | None:
    """Epoch seconds of an ISO date; naive dates are Vietnam time. None when unparseable."""
    d = to_instant(published)
    return int(d.timestamp()) if d else None


def day_bounds(date_from: str | None, date_to: str | None) -> tuple[int | None, int | None]:
    """Inclusive epoch-second bounds of a YYYY-MM-DD range, in Vietnam time."""
    lo = hi = None
    if date_from:
        lo = int(day_start(dt.date.fromisoformat(date_from)).timestamp())
    if date_to:
        nxt = dt.date.fromisoformat(date_to) + dt.timedelta(days=1)
        hi = int(day_start(nxt).timestamp()) - 1
    return lo, hi


def display_body(article: Article) -> str:
    """:func:`searchable_body` without re-normalizing: for snippets of stored (canonical) text."""
    return article.text


def searchable_body(article: Article) -> str:
    """Lead and body as one text (:func:`lead_and_body`): a word of the lead is found like one of
    the body."""
    return lead_and_body(canonical(article.lead), canonical(article.body))


def facet_values(article: Article) -> dict[str, list]:
    """What each facet field holds for ``article`` (canonical strings, so filters match)."""
    clean = lambda xs: list(dict.fromkeys(canonical_lines(x) for x in xs if x and x.strip()))  # noqa: E731
    return {
        "province": clean(article.provinces),
        "province_current": clean(article.provinces_current),
        "partner": clean(article.partners),
        "year": article.years_covered(),
        "kind": clean([article.kind]),
        "source": clean([article.source]),
        "published_year": [article.year] if article.year else [],
        "agreement_year": sorted({y for start, end in article.periods for y in range(start, end + 1)}),
    }


def ranking_values(article: Article) -> dict[str, list[str]]:
    """Tags that only rank (query_text's ENTITY_BOOST): what the article is mainly about.

    ``primary_province``: the province the article is about, not every one it mentions;
    ``title_partner``: partners named in the title ("VNPT ký kết với Thanh Hóa"), so a signing
    outranks an article that lists VNPT among twenty companies. (``caps`` matches, see below.)
    """
    out: dict[str, list[str]] = {}
    if article.primary_province:
        out["primary_province"] = [canonical_lines(article.primary_province)]
    in_title = [canonical_lines(p) for p, where in (article.partner_mentions or {}).items() if "title" in where]
    if in_title:
        out["title_partner"] = in_title
    caps = caps_words(f"{article.title}\n{article.text}")
    if caps:
        out["caps"] = caps
    return out


_WORD = re.compile(r"[^\W_]+")


def caps_words(text: str) -> list[str]:
    """Two-letter words the page writes in capitals ("AI", "TP"), lowercased: a short
    abbreviation typed in capitals must not match the Vietnamese word "ai" (who)."""
    # Only whitespace-separated chunks with a capital can hold one: most of a page is lowercase,
    # and skipping it with str.islower halves this step of indexing.
    cased = " ".join([chunk for chunk in text.split() if not chunk.islower()])
    return sorted({w.lower() for w in _WORD.findall(cased) if len(w) == 2 and w.isupper() and w.isalpha()})
