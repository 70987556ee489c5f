"""What the search page says about its own state: the active filters as removable chips, the
heading that names them, and the date presets.

Every chip and preset is a plain link (the URL is the whole state), so they work without
JavaScript and survive Back/Forward like any other link.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from indexer.query import FACETS, SearchQuery
from indexer.timeutil import today_in_vietnam
from search_ui.params import query_string, to_pairs, toggled, without
from search_ui.presenters import describe_query, shown_day, value_label

# What each facet is called on a chip ("Đối tác: VNPT"); the value alone would be ambiguous for years.
CHIP_NAMES = {
    "province": "Tỉnh (cũ)",
    "province_current": "Tỉnh",
    "partner": "Đối tác",
    "year": "Năm",
    "published_year": "Năm đăng",
    "agreement_year": "Năm hiệu lực",
    "kind": "Loại bài",
    "source": "Nguồn",
}


@dataclass
class Chip:
    name: str  # "Đối tác"
    label: str  # "VNPT"
    remove_url: str


def active_filters(q: SearchQuery, source_titles: Mapping[str, str] | None = None) -> list[Chip]:
    chips = []
    for facet in FACETS:
        for value in q.filters.get(facet, []):
            chips.append(
                Chip(CHIP_NAMES.get(facet, facet), value_label(facet, value, source_titles), toggled(q, facet, value))
            )
    if q.date_from:
        chips.append(Chip("Từ ngày", shown_day(q.date_from), without(q, "from")))
    if q.date_to:
        chips.append(Chip("Đến ngày", shown_day(q.date_to), without(q, "to")))
    if q.include_duplicates:
        chips.append(Chip("Tùy chọn", "kể cả bản đăng lại", without(q, "duplicates")))
    if q.include_off_topic:
        chips.append(Chip("Tùy chọn", "kể cả bài ngoài chủ đề", without(q, "off_topic")))
    return chips


def heading(q: SearchQuery, source_titles: Mapping[str, str] | None = None) -> str:
    """The page's h1 and title: "“VNPT” · Thanh Hóa · 2021", or "Tất cả bài viết"."""
    text = describe_query(q, source_titles)
    return text[:1].upper() + text[1:]


@dataclass
class Preset:
    label: str
    url: str
    active: bool


def date_presets(q: SearchQuery, today: dt.date | None = None) -> list[Preset]:
    """7 ngày, 30 ngày, năm nay: ``from``/``to`` set to that range (Vietnam time), other state kept."""
    today = today or today_in_vietnam()
    ranges = [
        ("7 ngày qua", today - dt.timedelta(days=6), today),
        ("30 ngày qua", today - dt.timedelta(days=29), today),
        ("Năm nay", today.replace(month=1, day=1), today),
    ]
    base = [p for p in to_pairs(q, page=False) if p[0] not in ("from", "to")]
    out = []
    for label, start, end in ranges:
        url = query_string(base + [("from", start.isoformat()), ("to", end.isoformat())])
        out.append(Preset(label, url, (q.date_from, q.date_to) == (start.isoformat(), end.isoformat())))
    return out


@dataclass
class Bar:
    year: int
    count: int
    height: int  # 0-100, of the tallest bar
    url: str  # this year on or off (publication year filter)
    selected: bool


def coverage(result, q: SearchQuery) -> list[Bar]:
    """Articles of the result set per publication year, every year from the first to the last:
    the facet's own counts (they ignore a ticked year, so the other years stay clickable)."""
    counts = {int(v): c for v, c in result.facets.get("published_year", []) if str(v).isdigit()}
    if len(counts) < 2:
        return []
    top = max(counts.values()) or 1
    chosen = q.filters.get("published_year", [])
    return [
        Bar(
            y,
            counts.get(y, 0),
            round(100 * counts.get(y, 0) / top),
            toggled(q, "published_year", str(y)),
            str(y) in chosen,
        )
        for y in range(min(counts), max(counts) + 1)
    ]
