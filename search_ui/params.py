"""Search state <-> URL query string, shared by the HTML pages, the JSON API and the CSV export.

All state lives in the URL (as in Elastic search-ui): a journalist can bookmark or send a
search, the back button works, and the export link reproduces exactly what is on screen.
Facet values repeat a parameter (``?partner=VNPT&partner=Viettel``): OR within a facet.
``per_page`` travels in every link when it is not the app's default, or page 2 of a
5-per-page search would silently jump to results 21-40.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlencode

from flask import current_app, has_app_context
from werkzeug.datastructures import MultiDict

from indexer.query import FACETS, MAX_FILTER_VALUES, MAX_PER_PAGE, QueryError, SearchQuery

SCALARS = ("q", "from", "to", "sort", "page", "per_page", "duplicates", "off_topic")
KNOWN = set(SCALARS) | set(FACETS)
TRUE = {"1", "true", "yes", "on"}
STRICT_FLAGS = {"", "0", "1", "true", "false"}  # what the API accepts (the page reads any as off)
DEFAULT_PER_PAGE = 20
# ASCII digits, one optional minus, short: "²", "--5" or 5,000 digits are a 400, not an int() crash.
INTEGER = re.compile(r"-?[0-9]{1,6}")
# NUL and other control characters: never words, and not echoed into a page (a tab becomes a space).
CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
MAX_TEXT = 2000


def clean_text(value: str) -> str:
    """The search box text as received, minus control characters, at most MAX_TEXT characters."""
    return CONTROLS.sub("", value).replace("\t", " ")[:MAX_TEXT]


def query_from_args(args: MultiDict, *, strict: bool = False, per_page: int = DEFAULT_PER_PAGE) -> SearchQuery:
    """Build a SearchQuery; QueryError (a 400) on bad values, and on unknown names if ``strict``."""
    if strict:
        unknown = sorted(set(args) - KNOWN)
        if unknown:
            raise QueryError(f"tham số không hợp lệ: {', '.join(unknown)} (dùng: {', '.join(sorted(KNOWN))})")
    numbers = {}
    for name in ("page", "per_page"):
        value = args.get(name, "").strip()
        if value and not INTEGER.fullmatch(value):
            if re.fullmatch(r"-?[0-9]+", value):
                raise QueryError(f"{name} quá lớn (nhận được {value[:20]}…)")
            raise QueryError(f"{name} phải là số nguyên (nhận được {value[:20]!r})")
        numbers[name] = int(value) if value else None
    if strict:  # a program must learn its page size was wrong, not get another one
        if numbers["per_page"] is not None and not 1 <= numbers["per_page"] <= MAX_PER_PAGE:
            raise QueryError(
                f"per_page phải từ 1 đến {MAX_PER_PAGE} (nhận được {numbers['per_page']}); "
                f"tối đa {MAX_PER_PAGE} kết quả mỗi trang"
            )
        if numbers["page"] is not None and numbers["page"] < 1:
            raise QueryError(f"page phải từ 1 trở lên (nhận được {numbers['page']})")
        for name in FACETS:  # counted as sent: repeats and blanks too (the schema's maxItems)
            if len(args.getlist(name)) > MAX_FILTER_VALUES:
                raise QueryError(f"quá nhiều giá trị cho bộ lọc {name} (tối đa {MAX_FILTER_VALUES})")
        for name in ("duplicates", "off_topic"):
            if args.get(name, "") not in STRICT_FLAGS:
                raise QueryError(f"{name} phải là 1 hoặc 0 (hoặc true/false)")
    return SearchQuery(
        text=clean_text(args.get("q", "")),
        filters={f: args.getlist(f) for f in FACETS if args.getlist(f)},
        date_from=args.get("from") or None,
        date_to=args.get("to") or None,
        sort=args.get("sort") or "relevance",
        page=1 if numbers["page"] is None else numbers["page"],
        per_page=per_page if numbers["per_page"] is None else numbers["per_page"],
        include_duplicates=args.get("duplicates", "").lower() in TRUE,
        include_off_topic=args.get("off_topic", "").lower() in TRUE,
    )


def default_per_page() -> int:
    """The app's PER_PAGE inside a request (links omit per_page when it is that), else 20."""
    return current_app.config.get("PER_PAGE", DEFAULT_PER_PAGE) if has_app_context() else DEFAULT_PER_PAGE


def to_pairs(q: SearchQuery, *, page: bool = True, per_page: bool = True) -> list[tuple[str, str]]:
    """The query string pairs that rebuild ``q`` (defaults omitted, so URLs stay short).

    ``per_page=False`` leaves it out even when not the default: the CSV export, which has no pages.
    """
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
    if per_page and q.per_page != default_per_page():
        pairs.append(("per_page", str(q.per_page)))
    if page and q.page > 1:
        pairs.append(("page", str(q.page)))
    return pairs


def feed_pairs(q: SearchQuery) -> list[tuple[str, str]]:
    """The query of a search's Atom feed: no paging and no sort, since a feed is always the newest."""
    return [p for p in to_pairs(q, page=False, per_page=False) if p[0] != "sort"]


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


def with_text(q: SearchQuery, text: str) -> str:
    """The same search (filters kept) for other words: the "did you mean" link."""
    return query_string([("q", text)] + [p for p in to_pairs(q, page=False) if p[0] != "q"])


def with_filter(q: SearchQuery, facet: str, value: str) -> str:
    """The same search with ``facet=value`` added (a detected province or partner)."""
    return query_string(to_pairs(q, page=False) + [(facet, value)])
