"""Query-time abbreviations: "CĐS" also finds "chuyển đổi số", and the other way round.

Why at query time and not at index time: the stored text must stay what the page said (the
snippet shows "CĐS"), and the dictionary (config/abbreviations.yaml) can grow without
re-indexing. Each group is a set of interchangeable spellings; :mod:`indexer.lexicon` turns
them into query words with synonyms. Keys of two letters or fewer ("AI", "TP", "HN") only count
when typed in capitals: "ai" is also the Vietnamese word "who".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

import yaml

from indexer.normalize import canonical, search_key

DEFAULT_FILE = Path(__file__).resolve().parent.parent / "config" / "abbreviations.yaml"


class Abbreviations:
    """Groups of interchangeable spellings: {"CĐS", "chuyển đổi số"}, {"UBND", "ủy ban nhân dân"}."""

    def __init__(self, mapping: Mapping[str, list[str] | str]) -> None:
        self.groups: list[tuple[str, ...]] = []
        strict: set[str] = set()
        for abbr, expansions in mapping.items():
            if isinstance(expansions, str):
                expansions = [expansions]
            self.groups.append(tuple(dict.fromkeys(canonical(m) for m in [str(abbr), *expansions] if m)))
            key = search_key(str(abbr))
            if len(re.sub(r"\W", "", key)) <= 2:
                strict.add(key)
        self.strict_keys = frozenset(strict)  # short abbreviations: only typed in capitals

    @classmethod
    def from_file(cls, path: str | Path) -> Abbreviations:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        return cls(data.get("abbreviations", data))


@lru_cache(maxsize=8)
def load_abbreviations(path: str | None = None) -> Abbreviations:
    """The dictionary from ``path`` (setting ABBREVIATIONS_FILE), cached; default config file."""
    return Abbreviations.from_file(path or DEFAULT_FILE)
