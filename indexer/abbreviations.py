"""Query-time abbreviations: "CĐS" also finds "chuyển đổi số", and the other way round.

Why at query time and not at index time: the stored text must stay what the page said (the
snippet shows "CĐS"), and the dictionary (config/abbreviations.yaml) can grow without
re-indexing. Matching happens on search keys, so "cds", "CĐS" and "CÐS" (eth) are one token.
Keys of two letters or fewer ("AI", "TP", "HN") only match when typed in capitals: "ai" is
also the Vietnamese word "who".
"""
from __future__ import annotations

import itertools
import re
from functools import lru_cache
from pathlib import Path
from typing import Mapping

import yaml

DEFAULT_FILE = Path(__file__).resolve().parent.parent / "config" / "abbreviations.yaml"


class Abbreviations:
    """Groups of interchangeable spellings: {"CĐS", "chuyển đổi số"}, {"UBND", "ủy ban nhân dân"}."""

    def __init__(self, mapping: Mapping[str, list[str] | str]) -> None:
        from indexer.normalize import canonical, search_key
        self.groups: list[tuple[str, ...]] = []
        self._by_key: dict[str, set[int]] = {}
        self._strict: set[str] = set()        # short keys matched case-sensitively
        for abbr, expansions in mapping.items():
            if isinstance(expansions, str):
                expansions = [expansions]
            members = tuple(dict.fromkeys(canonical(m) for m in [str(abbr), *expansions] if m))
            idx = len(self.groups)
            self.groups.append(members)
            for m in members:
                key = search_key(m)
                self._by_key.setdefault(key, set()).add(idx)
                if m == canonical(str(abbr)) and len(re.sub(r"\W", "", key)) <= 2:
                    self._strict.add(key)
        keys = sorted(self._by_key, key=len, reverse=True)
        self._pattern = re.compile(
            r"(?<![\w&])(" + "|".join(re.escape(k) for k in keys) + r")(?![\w&])") if keys else None

    @classmethod
    def from_file(cls, path: str | Path) -> "Abbreviations":
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        return cls(data.get("abbreviations", data))

    @property
    def strict_keys(self) -> frozenset[str]:
        """Search keys of the short abbreviations that only count when typed in capitals."""
        return frozenset(self._strict)

    def alternatives(self, key: str) -> tuple[str, ...]:
        """All spellings interchangeable with a matched search key, in dictionary order."""
        out: dict[str, None] = {}
        for idx in sorted(self._by_key.get(key, ())):
            out.update(dict.fromkeys(self.groups[idx]))
        return tuple(out)

    def synonym_rules(self) -> list[str]:
        """Solr/Elasticsearch synonym lines ("cđs, chuyển đổi số"), lowercased."""
        return [", ".join(m.lower() for m in g) for g in self.groups]

    def split(self, text: str) -> list[tuple[str, ...]]:
        from indexer.normalize import canonical, search_key
        text = " ".join(canonical(text).split())
        key = search_key(text)
        if self._pattern is None or not text:
            return [(text,)] if text else []
        if len(key) != len(text):          # folding changed length (exotic input): no expansion
            return [(text,)]
        parts: list[tuple[str, ...]] = []
        pos = 0
        for m in self._pattern.finditer(key):
            typed = text[m.start():m.end()]
            if m.group(1) in self._strict and typed != typed.upper():
                continue
            if m.start() > pos and text[pos:m.start()].strip():
                parts.append((text[pos:m.start()].strip(),))
            alts = self.alternatives(m.group(1))
            parts.append((typed, *[a for a in alts if search_key(a) != m.group(1)]))
            pos = m.end()
        if text[pos:].strip():
            parts.append((text[pos:].strip(),))
        return parts


@lru_cache(maxsize=8)
def load_abbreviations(path: str | None = None) -> Abbreviations:
    """The dictionary from ``path`` (setting ABBREVIATIONS_FILE), cached; default config file."""
    return Abbreviations.from_file(path or DEFAULT_FILE)


def expand_query(text: str, abbreviations: Abbreviations | None = None) -> list[tuple[str, ...]]:
    """Split a query into consecutive segments, each a tuple of alternatives (first = as typed).

    ``expand_query("CĐS tỉnh Thanh Hoa")`` → ``[("CĐS", "chuyển đổi số"), ("tỉnh Thanh Hoa",)]``.
    A backend ORs the alternatives of a segment (as phrases) and combines segments as usual.
    Text is returned canonical; pass each alternative through ``search_key`` for folded fields.
    """
    return (abbreviations or load_abbreviations()).split(text)


def query_variants(text: str, abbreviations: Abbreviations | None = None,
                   limit: int = 16) -> list[str]:
    """Whole-query rewrites (the product of segment alternatives), the typed form first."""
    parts = expand_query(text, abbreviations)
    out = []
    for combo in itertools.islice(itertools.product(*parts), limit):
        out.append(" ".join(combo))
    return out
