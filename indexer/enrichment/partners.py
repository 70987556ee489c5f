"""Partner companies named in an article, by alias, and where each was found (title/lead/body).

Pages name VNPT as "VNPT", "Tập đoàn Bưu chính Viễn thông Việt Nam", "VinaPhone" or
"VNPT Thanh Hóa", and Viettel as "Tập đoàn Công nghiệp - Viễn thông Quân đội" with whatever
dash the editor typed. The dictionary lives in config/partners.yaml so editors can extend it
without code. Overlaps go to the longest name: "Viettel Post" is Viettel Post, not Viettel.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from indexer.article import Article
from indexer.enrichment.base import EnrichContext, Enricher
from indexer.normalize import canonical

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "config" / "partners.yaml"
_DASHES = "‐‑‒–—―−﹣－-"  # hyphen last: literal inside [...]
_DASH = rf"(?:\s*[{_DASHES}]+\s*|\s+)"  # any dash (or a doubled one), or none, between parts
_EDGE_L, _EDGE_R = r"(?<![^\W_])", r"(?![^\W_])"


def _key(text: str) -> str:
    return re.sub(rf"[\s{_DASHES}]+", " ", text).strip().lower()


def _alternation(names: list[str], ignore_case: bool) -> re.Pattern | None:
    if not names:
        return None
    bodies = []
    for name in sorted(names, key=len, reverse=True):
        parts = re.split(rf"\s*[{_DASHES}]+\s*", canonical(name))
        bodies.append(_DASH.join(r"\s+".join(re.escape(w) for w in p.split()) for p in parts))
    return re.compile(_EDGE_L + "(?:" + "|".join(bodies) + ")" + _EDGE_R, re.I if ignore_case else 0)


class PartnerDictionary:
    """Canonical partner name → alias spellings; two alternation regexes do the matching
    (aliases case-insensitive, tokens case-sensitive), overlaps go to the longest match."""

    def __init__(self, partners: dict[str, Any]) -> None:
        self.names = list(partners)
        self._aliases: dict[str, str] = {}
        self._tokens: dict[str, str] = {}
        for canon_name, spec in partners.items():
            spec = spec or {}
            for alias in spec.get("aliases", []) or []:
                self._aliases.setdefault(_key(canonical(alias)), canon_name)
            for token in spec.get("tokens", []) or []:
                self._tokens.setdefault(canonical(token), canon_name)
        self._alias_re = _alternation(
            list({canonical(a) for s in partners.values() if s for a in (s.get("aliases") or [])}), True
        )
        self._token_re = _alternation(list(self._tokens), False)

    @classmethod
    def from_file(cls, path: str | Path) -> PartnerDictionary:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        return cls(data.get("partners", data))

    def find(self, text: str) -> list[tuple[int, str]]:
        """[(offset, canonical partner)] for every non-overlapping mention in ``text``."""
        text = canonical(text)
        spans = []
        if self._alias_re is not None:
            spans += [(m.start(), m.end(), self._aliases[_key(m.group(0))]) for m in self._alias_re.finditer(text)]
        if self._token_re is not None:
            spans += [(m.start(), m.end(), self._tokens[m.group(0)]) for m in self._token_re.finditer(text)]
        spans.sort(key=lambda x: (-(x[1] - x[0]), x[0]))
        taken: list[tuple[int, int]] = []
        out = []
        for s, e, name in spans:
            if any(s < te and ts < e for ts, te in taken):
                continue
            taken.append((s, e))
            out.append((s, name))
        out.sort()
        return out


@lru_cache(maxsize=4)
def load_partners(path: str | None = None) -> PartnerDictionary:
    return PartnerDictionary.from_file(path or DEFAULT_FILE)


class PartnerTagger(Enricher):
    """Sets ``partners`` (by first appearance) and ``partner_mentions`` {name: [fields]}."""

    name = "partners"

    def __init__(self, dictionary: PartnerDictionary | None = None) -> None:
        self.dictionary = dictionary or load_partners()

    @classmethod
    def from_settings(cls, settings: Any) -> PartnerTagger:
        path = settings.PARTNERS_FILE
        return cls(load_partners(str(path)) if path else None)

    def enrich(self, article: Article, ctx: EnrichContext) -> None:
        order: dict[str, int] = {}
        where: dict[str, list[str]] = {}
        for rank, (field_name, text) in enumerate(
            (("title", article.title), ("lead", article.lead), ("body", article.body))
        ):
            for offset, name in self.dictionary.find(text):
                order.setdefault(name, rank * 10**7 + offset)
                if field_name not in where.setdefault(name, []):
                    where[name].append(field_name)
        article.partners = sorted(order, key=order.get)
        article.partner_mentions = {n: where[n] for n in article.partners}
