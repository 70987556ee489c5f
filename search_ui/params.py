"""Search state <-> URL query string, shared by the HTML pages, the JSON API and the CSV export.

All state lives in the URL (as in Elastic search-ui): a journalist can bookmark or send a
search, the back button works, and the export link reproduces exactly what is on screen.
Facet values repeat a parameter (``?partner=VNPT&partner=Viettel``): OR within a facet.
"""
from __future__ import annotations

from typing import Iterable
from urllib.parse import urlencode

from werkzeug.datastructures import MultiDict

from indexer.query import FACETS, QueryError, SearchQuery

SCALARS = ("q", "from", "to", "sort", "page", "per_page", "duplicates", "off_topic")
KNOWN = set(SCALARS) | set(FACETS)
TRUE = {"1", "true", "yes", "on"}


def query_from_args(args: MultiDict, *, strict: bool = False, per_page: int = 20) -> SearchQuery:
    """Build a SearchQuery; QueryError (a 400) on bad values, and on unknown names if ``strict``."""
    if strict:
        unknown = sorted(set(args) - KNOWN)
        if unknown:
            raise QueryError(f"tham số không hợp lệ: {', '.join(unknown)} "
                             f"(dùng: {', '.join(sorted(KNOWN))})")
    for name in ("page", "per_page"):
        value = args.get(name, "").strip()
        if value and not value.lstrip("-").isdigit():
            raise QueryError(f"{name} phải là số nguyên (nhận được {value[:20]!r})")
    return SearchQuery(
        text=args.get("q", "")[:2000],
        filters={f: args.getlist(f) for f in FACETS if args.getlist(f)},
        date_from=args.get("from") or None,
        date_to=args.get("to") or None,
        sort=args.get("sort") or "relevance",
        page=int(args.get("page") or 1),
        per_page=int(args.get("per_page") or per_page),
        include_duplicates=args.get("duplicates", "").lower() in TRUE,
        include_off_topic=args.get("off_topic", "").lower() in TRUE,
    )


def to_pairs(q: SearchQuery, *, page: bool = True) -> list[tuple[str, str]]:
    """The query string pairs that rebuild ``q`` (defaults omitted, so URLs stay short)."""
    pairs: list[tuple[str, str]] = []
    if q.text:
        pairs.append(("q", q.text))
    for f in FACETS:
        pairs += [(f, v) for v in q.filters.get(f, [])]
    if q.date_from:
        pairs.append(("from", q.date_from))
    if q.date_to:
        pairs.append(("to", q.date_to))
    if q.sort != "relevance":
        pairs.append(("sort", q.sort))
    if q.include_duplicates:
        pairs.append(("duplicates", "1"))
    if q.include_off_topic:
        pairs.append(("off_topic", "1"))
    if page and q.page > 1:
        pairs.append(("page", str(q.page)))
    return pairs


def query_string(pairs: Iterable[tuple[str, str]]) -> str:
    s = urlencode(list(pairs))
    return f"?{s}" if s else "?"


def with_page(q: SearchQuery, page: int) -> str:
    pairs = to_pairs(q, page=False)
    if page > 1:
        pairs.append(("page", str(page)))
    return query_string(pairs)


def toggled(q: SearchQuery, facet: str, value: str) -> str:
    """URL with ``facet=value`` ticked or unticked; back to page 1 since the hits change."""
    pairs = to_pairs(q, page=False)
    pair = (facet, value)
    pairs = [p for p in pairs if p != pair] if pair in pairs else pairs + [pair]
    return query_string(pairs)


def without(q: SearchQuery, *names: str) -> str:
    return query_string(p for p in to_pairs(q, page=False) if p[0] not in names)
