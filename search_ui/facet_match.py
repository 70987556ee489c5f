"""Facet values as people type them: ``partner=vnpt`` is VNPT, ``province=thanh hoa`` is Thanh Hóa.

The valid values of a facet are what the index holds (its facet counts over every article,
duplicates and off-topic included) plus what the product knows even before an article names it:
the 63 legacy and 34 current provinces, the partners of ``config/partners.yaml``, the four kinds.
A typed value is compared with them folded (lowercase, no diacritics, đ→d, spaces squeezed, a
leading "tỉnh"/"thành phố"/"tp" dropped); one that matches none is kept as typed (so the search
honestly finds nothing) and reported with the closest valid values (rapidfuzz on folded text).
"""

from __future__ import annotations

import dataclasses
import os
import re
import threading
import time
from functools import lru_cache

import yaml
from rapidfuzz import fuzz, process

from indexer.enrichment.admin_units import province_tables
from indexer.enrichment.partners import DEFAULT_FILE
from indexer.normalize import canonical_lines, fold
from indexer.query import FACETS, SearchQuery
from search_ui.presenters import KIND_LABELS

PREFIX = re.compile(r"^(tinh|thanh pho|tp\.?)\s+")
CLOSEST = 3
CACHE_SECONDS = 30  # new crawls add values; a facet search per request is not needed
_cache: dict[int, tuple[object, float, dict]] = {}  # id -> (backend held, time, values)
_lock = threading.Lock()


def key(value: str) -> str:
    folded = " ".join(fold(canonical_lines(value)).replace("-", " ").split())
    return PREFIX.sub("", folded)


@lru_cache(maxsize=1)
def known_values() -> dict[str, list[str]]:
    """Values the product knows without looking at the index."""
    out: dict[str, list[str]] = {f: [] for f in FACETS}
    out["kind"] = list(KIND_LABELS)
    _, legacy, current = province_tables()
    out["province"], out["province_current"] = list(legacy), list(current)
    return out


def partner_names(partners_file: str | None) -> list[str]:
    """The canonical partner names: the keys of the partners file (read again only when it
    changes: parsing the YAML took a third of an /api/v1/facets request)."""
    path = partners_file or DEFAULT_FILE
    try:
        return list(_partner_names(path, os.stat(path).st_mtime_ns))
    except (OSError, yaml.YAMLError):  # matching still works on the index's own values
        return []


@lru_cache(maxsize=8)
def _partner_names(path: str, _mtime_ns: int) -> tuple[str, ...]:
    with open(path, encoding="utf-8") as f:
        data = yaml.safe_load(f) or {}
    return tuple(str(k) for k in (data.get("partners", data) or {}))


def valid_values(backend, partners_file: str | None = None) -> dict[str, list[tuple[str, int]]]:
    """facet -> [(value, count)]: the index's values (count desc), then known ones it lacks (0)."""
    everything = SearchQuery(include_duplicates=True, include_off_topic=True, per_page=1)
    facets = backend.search(everything).facets
    known = known_values()
    extra = dict(known, partner=partner_names(partners_file))
    out: dict[str, list[tuple[str, int]]] = {}
    for facet in FACETS:
        values = [(str(v), c) for v, c in facets.get(facet, [])]
        seen = {v for v, _ in values}
        values += [(v, 0) for v in extra.get(facet, []) if v not in seen]
        out[facet] = values
    return out


def resolve(q: SearchQuery, valid: dict[str, list[tuple[str, int]]]) -> tuple[SearchQuery, list[dict]]:
    """``q`` with each facet value replaced by the valid value it folds to, and warnings for the
    values that fold to none."""
    filters, warnings = {}, []
    for facet, values in q.filters.items():
        names = [v for v, _ in valid.get(facet, [])]
        by_key = {}
        for name in names:
            by_key.setdefault(key(name), name)
        out = []
        for value in values:
            match = value if value in names else by_key.get(key(value))
            if match is None:
                warnings.append(unknown_value(facet, value, names))
                match = value
            out.append(match)
        filters[facet] = list(dict.fromkeys(out))
    return dataclasses.replace(q, filters=filters), warnings


def unknown_value(facet: str, value: str, names: list[str]) -> dict:
    keys = {name: key(name) for name in names}
    best = process.extract(key(value), keys, scorer=fuzz.WRatio, limit=CLOSEST)
    closest = [name for _, score, name in best if score >= 50] or [name for _, _, name in best[:1]]
    hint = f"; gần nhất: {', '.join(closest)}" if closest else ""
    return {
        "parameter": facet,
        "value": value,
        "closest": closest,
        "message": f"{facet}={value!r} không khớp giá trị nào của bộ lọc{hint}",
    }


def resolve_with(backend, q: SearchQuery, partners_file: str | None = None) -> tuple[SearchQuery, list[dict]]:
    """:func:`resolve` against the backend's valid values (cached CACHE_SECONDS per backend).
    Years are digits (validated by SearchQuery), so a query filtering only on years costs nothing."""
    if not any(f != "year" for f in q.filters):
        return q, []
    now = time.monotonic()
    with _lock:
        hit = _cache.get(id(backend))
    if hit is None or hit[0] is not backend or now - hit[1] > CACHE_SECONDS:
        hit = (backend, now, valid_values(backend, partners_file))
        with _lock:
            _cache[id(backend)] = hit
    return resolve(q, hit[2])
