"""Provinces an article mentions, and the one it is about — legacy (63) and current (34).

Matching is case-sensitive on canonical text (so "Thanh Hoá" and "Thanh Hóa" are one name,
and "hòa bình" — peace — is not a province). Three guards keep ordinary words and other places
out: a locality word right before the name ("xã Hòa Bình", "phường Thái Bình", "đường Hà Nội"
are wards and streets), a personal name ("Nguyễn Thái Bình"), and for names that are also
common words or people ("Hòa Bình", "Thái Bình", "Hồ Chí Minh", "Huế") an explicit
"tỉnh"/"thành phố"/"TP."/"UBND" context or the source's own province.

Primary province, as journalists expect it: the province the headline is about (the source's
own province if the headline names it among others, else the first named), then the same for
the lead; then the source's own province if the article mentions it; else the one most often
named as "tỉnh X"/"UBND tỉnh X"; else the most mentioned. The headline goes first because a
Tuyên Quang paper reporting a landslide "đoạn qua Hà Giang" is a Hà Giang story. A portal
article that names no province at all ("UBND tỉnh …") is about the portal's own province.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from indexer.article import Article
from indexer.enrichment.admin_units import aliases, to_current
from indexer.enrichment.base import EnrichContext, Enricher
from indexer.normalize import canonical

STRICT = {"Hòa Bình", "Thái Bình", "Hồ Chí Minh", "Thừa Thiên Huế"}
# Aliases of strict provinces that already carry their own context.
SELF_EVIDENT = {"TP. Hồ Chí Minh", "Thành phố Hồ Chí Minh", "thành phố Hồ Chí Minh", "TP. HCM",
                "TPHCM", "TP HCM", "Sài Gòn", "Thừa Thiên Huế", "Thừa Thiên - Huế", "TT-Huế"}
_PROVINCE_CONTEXT = re.compile(r"(tỉnh|thành phố|TP\.?|UBND|HĐND|Tỉnh ủy|Thành ủy|cố đô|"
                               r"đồng bào|nhân dân|Đảng bộ|Sở [\w\s]{2,40}?)\s*$", re.I)
_LOCALITY = re.compile(r"(?:^|\s)(xã|phường|thị trấn|huyện|quận|thị xã|thôn|bản|làng|ấp|khu phố|"
                       r"tổ dân phố|đường|(?<!thành )phố|ngõ|cầu|sông|suối|hồ|núi|đèo|chợ|bến|ga|khu đô thị|"
                       r"khách sạn|nhà hàng|công ty|Công ty|hợp tác xã|giải|cúp|Cúp|tượng đài|"
                       r"đài|trường|Trường)\s*$")
_SURNAMES = set("""Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh
    Lương Trịnh Mai Tô Đào Cao Lâm Hà Thái Tạ Chu Kiều Quách Văn Thị Đức Hữu Công Ngọc Xuân
    Minh Quang Thanh Hải Tiến Mạnh Chẩu Triệu Lã Vương Đoàn Tăng Phùng Khổng Ông Bà Anh Chị""".split())
_WORD_BEFORE = re.compile(r"([^\W\d_]+)\s*$")
_TINH_X = "tỉnh "


def _key(text: str) -> str:
    """Spacing- and dash-insensitive lookup key of a matched name."""
    return re.sub(r"\s*[-–—]\s*", "-", " ".join(text.split()))


@lru_cache(maxsize=1)
def _matcher() -> tuple[re.Pattern, dict[str, tuple[str, str]]]:
    """One alternation of every spelling (longest first, so the longest wins at a position)
    and a map from matched spelling to (legacy province, alias)."""
    lookup: dict[str, tuple[str, str]] = {}
    for province, names in aliases().items():
        for name in names:
            for variant in (name, name.upper()):
                lookup.setdefault(_key(variant), (province, name))
    bodies = []
    for variant in sorted(lookup, key=len, reverse=True):
        parts = variant.split("-")
        bodies.append(r"\s*[-–—]\s*".join(r"\s+".join(re.escape(w) for w in p.split()) for p in parts))
    pattern = re.compile(r"(?<![^\W_])(?:" + "|".join(bodies) + r")(?![^\W_])")
    return pattern, lookup


def find_mentions(text: str, source_province: str = "") -> list[tuple[int, str, bool]]:
    """[(offset, legacy province, strong_context)] for every accepted mention in ``text``."""
    text = canonical(text)
    pattern, lookup = _matcher()
    found: list[tuple[int, str, bool]] = []
    for m in pattern.finditer(text):
        province, alias = lookup[_key(m.group(0))]
        s = m.start()
        before = text[max(0, s - 48):s]
        if _LOCALITY.search(before):
            continue
        wb = _WORD_BEFORE.search(before)
        if wb and wb.group(1) in _SURNAMES and not before.rstrip().endswith((",", ";", ":")):
            continue
        strong = bool(_PROVINCE_CONTEXT.search(before[-40:])) or alias in SELF_EVIDENT
        if province in STRICT and not strong and province != source_province:
            continue
        found.append((s, province, strong))
    return found


class ProvinceTagger(Enricher):
    name = "provinces"

    def enrich(self, article: Article, ctx: EnrichContext) -> None:
        source_province = canonical(getattr(ctx.source, "province", "") or article.source_province)
        body = article.body
        if article.lead and body.startswith(article.lead):
            body = body[len(article.lead):]
        fields = {"title": article.title, "lead": article.lead, "body": body}
        mentions = {f: find_mentions(t, source_province) for f, t in fields.items()}
        counts: Counter[str] = Counter(p for f in mentions for _, p, _ in mentions[f])
        strong: Counter[str] = Counter(p for f in mentions for _, p, s in mentions[f] if s)
        if not counts:
            # A portal's own news often says only "tỉnh" / "UBND tỉnh": it is about its province.
            own = [source_province] if source_province and article.body else []
            article.provinces, article.primary_province = own, own[0] if own else ""
        else:
            primary = choose_primary(mentions, counts, strong, source_province)
            article.provinces = [primary] + sorted(
                (p for p in counts if p != primary),
                key=lambda p: (-counts[p], _first(mentions["body"], p)))
            article.primary_province = primary
        article.provinces_current = list(dict.fromkeys(to_current(p) for p in article.provinces))
        article.primary_province_current = to_current(article.primary_province) \
            if article.primary_province else ""


def choose_primary(mentions, counts, strong, source_province: str) -> str:
    """Title, then lead: the source's province if named there, else the first named. Then the
    source's province if mentioned at all; then the most "tỉnh X"-style, then most mentioned."""
    for f in ("title", "lead"):
        named = [p for _, p, _ in mentions[f]]
        if named:
            return source_province if source_province in named else named[0]
    if source_province and source_province in counts:
        return source_province
    return max(counts, key=lambda p: (strong[p], counts[p], -_first(mentions["body"], p)))


def _first(mentions: list[tuple[int, str, bool]], province: str) -> int:
    return next((s for s, p, _ in mentions if p == province), 10**9)
