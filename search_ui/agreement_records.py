"""The agreement records behind the "Thỏa thuận" page, /api/v1/agreements and their CSV.

Records are built (indexer/agreements.py) from the index's agreement and report articles, fetched
through the ordinary search interface (every copy, on- and off-topic), and kept for
CACHE_SECONDS: the demo and real indexes hold hundreds of signings, not millions, so filtering and
sorting the records in Python is simpler than a second index and always agrees with the articles.

Filters take the search page's names and the same loose matching (``partner=vnpt``):
province (legacy), province_current, partner, year (the period covers it), signed (year of
signing), status (active / expired / renewed / unknown). Repeat a name to OR values.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
from dataclasses import dataclass, field

from werkzeug.datastructures import MultiDict

from indexer.agreements import Agreement, build_agreements
from indexer.query import MAX_FILTER_VALUES, MAX_PER_PAGE, QueryError, SearchQuery
from search_ui.facet_match import key, unknown_value

CACHE_SECONDS = 60
YEAR = re.compile(r"[0-9]{4}")
MAX_ARTICLES = 5000
FILTERS = ("province", "province_current", "partner", "year", "signed", "status")
STATUSES = {"active": "còn hiệu lực", "expired": "đã hết hạn", "renewed": "đã ký lại", "unknown": "không rõ giai đoạn"}
SORTS = {
    "signed": "Ngày ký (mới nhất)",
    "province": "Tỉnh (A–Z)",
    "partner": "Đối tác (A–Z)",
    "period": "Giai đoạn (kết thúc muộn nhất)",
}
KNOWN = set(FILTERS) | {"sort"}
# id(backend) -> (backend, time, records); the backend is held so its id cannot be reused meanwhile.
_cache: dict[int, tuple[object, float, list[Agreement]]] = {}
_lock = threading.Lock()


def all_records(backend, today: dt.date | None = None) -> list[Agreement]:
    now = time.monotonic()
    with _lock:
        hit = _cache.get(id(backend))
    if hit is not None and hit[0] is backend and now - hit[1] <= CACHE_SECONDS and today is None:
        return hit[2]
    articles, page = [], 1
    while len(articles) < MAX_ARTICLES:
        q = SearchQuery(
            filters={"kind": ["agreement", "report"]},
            include_duplicates=True,
            include_off_topic=True,
            sort="oldest",
            page=page,
            per_page=MAX_PER_PAGE,
        )
        result = backend.search(q)
        articles += [h.article for h in result.hits]
        if len(result.hits) < MAX_PER_PAGE or len(articles) >= result.total:
            break
        page += 1
    records = build_agreements(articles, today)
    with _lock:
        _cache[id(backend)] = (backend, now, records)
    return records


def records_of_article(backend, article_id: str) -> list[Agreement]:
    return [r for r in all_records(backend) if any(a.id == article_id for a in r.reports)]


@dataclass
class Selection:
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str = "signed"
    warnings: list[dict] = field(default_factory=list)


def _values(r: Agreement, name: str) -> list[str]:
    return {
        "province": [r.province],
        "province_current": [r.province_current],
        "partner": r.partners,
        "year": [str(y) for y in r.years],
        "signed": [r.signed[:4]] if r.signed else [],
        "status": [r.status],
    }[name]


def parse(args: MultiDict, records: list[Agreement], *, strict: bool) -> Selection:
    """Filters matched loosely against the records' own values; unknown ones become warnings."""
    if strict:
        unknown = sorted(set(args) - KNOWN)
        if unknown:
            raise QueryError(f"tham số không hợp lệ: {', '.join(unknown)} (dùng: {', '.join(sorted(KNOWN))})")
    sort = args.get("sort") or "signed"
    if sort not in SORTS:
        raise QueryError(f"sort phải là một trong: {', '.join(SORTS)}")
    sel = Selection(sort=sort)
    for name in FILTERS:
        if len(args.getlist(name)) > MAX_FILTER_VALUES:
            raise QueryError(f"quá nhiều giá trị cho bộ lọc {name} (tối đa {MAX_FILTER_VALUES})")
        wanted = [v for v in args.getlist(name) if v.strip()]
        if not wanted:
            continue
        if name in ("year", "signed") and not all(YEAR.fullmatch(v) for v in wanted):
            raise QueryError(f"{name} phải là năm gồm 4 chữ số, ví dụ 2024")
        if name == "status" and strict and not all(key(v) in STATUSES for v in wanted):
            raise QueryError(f"status phải là một trong: {', '.join(STATUSES)}")
        valid = sorted({v for r in records for v in _values(r, name)} | (set(STATUSES) if name == "status" else set()))
        by_key = {key(v): v for v in valid}
        chosen = []
        for v in wanted:
            match = v if v in valid else by_key.get(key(v))
            if match is None:
                sel.warnings.append(unknown_value(name, v, valid))
                match = v
            chosen.append(match)
        sel.filters[name] = list(dict.fromkeys(chosen))
    return sel


def select(records: list[Agreement], sel: Selection) -> list[Agreement]:
    out = [r for r in records if all(set(_values(r, name)) & set(values) for name, values in sel.filters.items())]
    if sel.sort == "province":
        out.sort(key=lambda r: (key(r.province_current), key(r.province), r.signed or ""))
    elif sel.sort == "partner":
        out.sort(key=lambda r: (key(r.partners[0]), r.signed or ""))
    elif sel.sort == "period":
        out.sort(key=lambda r: (r.period or (0, 0))[::-1], reverse=True)
    else:
        out.sort(key=lambda r: r.signed or "", reverse=True)
    return out


def facet_counts(records: list[Agreement], sel: Selection) -> dict[str, list[tuple[str, int]]]:
    """Per filter: value -> records matching the other filters (disjunctive, as on the search page)."""
    out = {}
    for name in ("province_current", "partner", "year", "status"):
        others = Selection({k: v for k, v in sel.filters.items() if k != name}, sel.sort)
        counts: dict[str, int] = {}
        for r in select(records, others):
            for v in set(_values(r, name)):
                counts[v] = counts.get(v, 0) + 1
        order = (lambda kv: kv[0]) if name == "year" else (lambda kv: (-kv[1], key(kv[0])))
        out[name] = sorted(counts.items(), key=order, reverse=name == "year")
    return out


def timeline(records: list[Agreement]) -> list[tuple[int, int]]:
    """(year, signings that year), every year from the first to the last."""
    years = [int(r.signed[:4]) for r in records if r.signed]
    if not years:
        return []
    return [(y, years.count(y)) for y in range(min(years), max(years) + 1)]
