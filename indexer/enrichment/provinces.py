"""Provinces an article is about, and the one it is mainly about — legacy (63) and current (34).

The facet is how journalists find articles ABOUT a province, so a name counts only where it
means the province. Matching is case-sensitive on canonical text ("Thanh Hoá" = "Thanh Hóa";
"hòa bình", peace, is never a province), and each mention passes guards:

* a locality or organisation word right before it: "xã Hòa Bình", "phường Thái Bình", "đường
  Hồ Chí Minh", "sông Đồng Nai", "Ngân hàng TMCP Sài Gòn – Hà Nội" are not the province;
* a person: a surname or kin word before it ("Nguyễn Thái Bình", "chị Huế");
* a concept: "thế giới Hòa Bình", "Giải Nobel Hòa Bình", "Thái Bình Dương" (the Pacific);
* a company's head office named in passing — "Tập đoàn VNPT (Hà Nội)", "có trụ sở tại Hà
  Nội" — is dropped: it says where a company sits, not what the article is about.

Names that are also words or people ("Hòa Bình", "Thái Bình", bare "Hồ Chí Minh") need
evidence: an administrative word before them ("tỉnh", "TP.", "UBND", "Sở Tư pháp"…), a local
branch ("VNPT Hòa Bình", "Viettel Thái Bình", "Bưu điện …"), a list of provinces they sit in
("Vĩnh Phúc, Phú Thọ và Hòa Bình"), or the source's own province. Once an article names
"tỉnh Hòa Bình" anywhere, every capitalised "Hòa Bình" in it is the province (a headline
"Hòa Bình là điểm sáng…" over a lead about "tỉnh Hòa Bình"). Bare "Hồ Chí Minh" never gets
that: in Vietnamese press it is the person ("tư tưởng Hồ Chí Minh"); the city is written
"TP. HCM", "Tp.HCM", "Thành phố Hồ Chí Minh" or "Sài Gòn", which need nothing more.

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
from dataclasses import dataclass
from functools import lru_cache

from indexer.article import Article
from indexer.enrichment.admin_units import aliases, to_current
from indexer.enrichment.base import EnrichContext, Enricher
from indexer.normalize import canonical

# Spellings that are also words or people: accepted only with evidence (see module doc)...
AMBIGUOUS = {"Hòa Bình", "Thái Bình", "Hồ Chí Minh"}
# ...of which these are accepted anywhere once the article names them with evidence.
ARTICLE_WIDE = {"Hòa Bình", "Thái Bình"}

_DASHES = "‐‑‒–—―−﹣－-"  # hyphen last: literal inside [...]
_DASH_RUN = f"\\s*[{_DASHES}]+\\s*"
_W = r"(?<![^\W_])"  # start of a word
_DEPARTMENTS = (
    r"Thông tin và Truyền thông|TT&TT|TTTT|TT-TT|Khoa học và Công nghệ|KH&CN|KHCN|"
    r"Kế hoạch và Đầu tư|KH&ĐT|KHĐT|Tài chính|Nội vụ|Y tế|Giáo dục và Đào tạo|GD&ĐT|"
    r"GDĐT|Công Thương|Công thương|Tư pháp|Xây dựng|Giao thông vận tải|GTVT|"
    r"Nông nghiệp và Phát triển nông thôn|NN&PTNT|Nông nghiệp và Môi trường|NN&MT|"
    r"Tài nguyên và Môi trường|TN&MT|Lao động - Thương binh và Xã hội|LĐ-TB&XH|"
    r"LĐTB&XH|Văn hóa, Thể thao và Du lịch|VH,TT&DL|VH-TT&DL|VHTTDL|Văn hóa và "
    r"Thể thao|Du lịch|Ngoại vụ|Dân tộc và Tôn giáo"
)
# Administrative context right before a name. "Sở" only as a department ("Sở Tư pháp Thái
# Bình"), case-sensitively: "trụ sở tại Hà Nội", "cơ sở" are not context.
_PROVINCE_CONTEXT = re.compile(
    rf"(?:{_W}(?i:tỉnh|thành phố|TP\.?|UBND|HĐND|Ủy ban nhân dân|Tỉnh ủy|Thành ủy|cố đô|đồng bào|"
    rf"nhân dân|Đảng bộ)|{_W}Sở (?:{_DEPARTMENTS})(?:\s*\([^()]{{1,12}}\))?)\s*$"
)
# A local branch of a company or state body named after its province: "VNPT Hòa Bình".
_BRANCH = re.compile(
    rf"{_W}(?:VNPT|Viettel(?: Post)?|MobiFone|Mobifone|VinaPhone|Vinaphone|"
    rf"VNPost|Bưu điện|Điện lực|Agribank|BIDV|Vietcombank|VietinBank|"
    rf"Kho bạc Nhà nước|Cục Thuế|Công an|Báo)(?:{_DASH_RUN}|\s+)$"
)
# Localities and places named after a province (any case: "Phường Thái Bình" opens sentences).
_LOCALITY = re.compile(
    r"(?:^|\s)(?:(?i:xã|phường|thị trấn|huyện|quận|thị xã|thôn|làng|ấp|khu phố|tổ dân phố|"
    r"đường|đại lộ|(?<!thành )phố|ngõ|cầu|sông|suối|hồ|núi|đèo|chợ|bến|ga|khu đô thị|khách sạn|"
    r"nhà hàng|công ty|hợp tác xã|giải|cúp|tượng đài|đài|trường|chùa|đền|đình)|bản)\s*$"
)
# Banks named after places ("Ngân hàng TMCP Sài Gòn – Hà Nội"): the name and any joined by a dash.
_ORGANISATION = re.compile(r"(?:^|\s)(?i:ngân hàng|TMCP)\s*$")
_KIN = re.compile(r"(?:^|\s)(?:anh|chị|em|cô|chú|bác|ông|bà|cháu|cụ|thầy|bạn)\s+$")
_SURNAMES = set(
    """Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh
    Lương Trịnh Mai Tô Đào Cao Lâm Hà Thái Tạ Chu Kiều Quách Văn Thị Đức Hữu Công Ngọc Xuân
    Minh Quang Thanh Hải Tiến Mạnh Chẩu Triệu Lã Vương Đoàn Tăng Phùng Khổng Ông Bà Anh Chị""".split()
)
_WORD_BEFORE = re.compile(r"([^\W\d_]+)\s*$")
# "Hòa Bình"/"Thái Bình" as ideas, eras and the Pacific, not provinces.
_CONCEPT_BEFORE = re.compile(
    r"(?:thế giới|[Gg]iải(?: thưởng)?(?: Nobel)?|Nobel|[Vv]ì|khát vọng|[Nn]ền|gìn giữ|bảo vệ|"
    r"chung sống|[Hh]iệp định|thông điệp|[Bb]ồ câu|[Cc]him|[Ss]ứ giả|[Cc]hủ đề|niên hiệu|"
    r"[Cc]ông viên|[Qq]uảng trường)\s*[“\"']?\s*$"
)
_CONCEPT_AFTER = re.compile(r"\s+(?:Dương|Thiên Quốc)(?![^\W_])")
# A company's head office, named in passing.
_HEAD_OFFICE = re.compile(
    r"(?i:trụ sở)(?: chính)?(?: (?:đặt|nằm))?\s+(?:tại|ở)\s+"
    r"(?:(?i:tỉnh|thành phố|TP\.?|thủ đô)\s+)?$"
)
_GROUP_PAREN = re.compile(
    r"(?:Tập đoàn|Tổng [Cc]ông ty|TCT|VNPT|Viettel|MobiFone|FPT|CMC|VNG|"
    r"MISA|Bkav)(?:\s[^().;:!?\n]{0,80})?\(\s*$"
)
# Between two names of a list: "Vĩnh Phúc, Phú Thọ và Hòa Bình", "Hà Nội – Thái Bình".
_LIST_SEPARATOR = re.compile(
    rf"\s*(?:,\s*(?:và\s+)?|;\s*|(?:và|hoặc)\s+|[{_DASHES}]+\s*)"
    r"(?:(?i:tỉnh|thành phố)\s+)?"
)
_ADMIN_SPELLING = re.compile(r"(?i:TP|thành phố|thủ đô)")  # "TP. HCM", "TPHCM": own context


def _key(text: str) -> str:
    """Spacing- and dash-insensitive lookup key of a matched name."""
    return re.sub(_DASH_RUN, "-", " ".join(text.split()))


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
        bodies.append(_DASH_RUN.join(r"\s+".join(re.escape(w) for w in p.split()) for p in parts))
    pattern = re.compile(r"(?<![^\W_])(?:" + "|".join(bodies) + r")(?![^\W_])")
    return pattern, lookup


@dataclass
class Mention:
    offset: int
    end: int
    province: str  # legacy name
    alias: str  # the spelling matched (canonical, as listed in admin_units)
    strong: bool  # administrative or branch context, or a spelling that is its own context
    needs_evidence: bool


def scan(text: str) -> list[Mention]:
    """Every mention in ``text`` that is not a locality, person, concept or head office."""
    text = canonical(text)
    pattern, lookup = _matcher()
    found: list[Mention] = []
    organisation_end = -1  # end of the last name that was part of a bank's name
    for m in pattern.finditer(text):
        province, alias = lookup[_key(m.group(0))]
        s, e = m.start(), m.end()
        before, after = text[max(0, s - 100) : s], text[e : e + 24]
        in_name = organisation_end >= 0 and re.fullmatch(_DASH_RUN, text[organisation_end:s])
        organisation_end = e if in_name or _ORGANISATION.search(before[-24:]) else -1
        if organisation_end >= 0 or _LOCALITY.search(before[-48:]) or _KIN.search(before[-12:]):
            continue
        wb = _WORD_BEFORE.search(before)
        if wb and wb.group(1) in _SURNAMES and not before.rstrip().endswith((",", ";", ":")):
            continue
        if alias in ARTICLE_WIDE and (_CONCEPT_BEFORE.search(before[-40:]) or _CONCEPT_AFTER.match(after)):
            continue
        if alias == "Sài Gòn" and re.match(r"\s+[^\W\d_]", after) and after.lstrip()[:1].isupper():
            continue  # "Sài Gòn Giải Phóng", "Sài Gòn Co.op": a name, not the city
        if _HEAD_OFFICE.search(before[-48:]) or (_GROUP_PAREN.search(before) and re.match(r"\s*\)", after)):
            continue
        strong = bool(
            _PROVINCE_CONTEXT.search(before[-60:]) or _BRANCH.search(before[-24:]) or _ADMIN_SPELLING.match(alias)
        )
        found.append(Mention(s, e, province, alias, strong, alias in AMBIGUOUS and not strong))
    _accept_lists(text, found)
    return found


def _accept_lists(text: str, found: list[Mention]) -> None:
    """An ambiguous name in a list of provinces is a province: "Vĩnh Phúc, Phú Thọ và Hòa Bình"."""
    for _ in range(2):  # twice: a list may start with the ambiguous names
        for i, m in enumerate(found):
            if not m.needs_evidence:
                continue
            prev = found[i - 1] if i else None
            nxt = found[i + 1] if i + 1 < len(found) else None
            if (
                prev
                and not prev.needs_evidence
                and _LIST_SEPARATOR.fullmatch(text[prev.end : m.offset])
                or nxt
                and not nxt.needs_evidence
                and _LIST_SEPARATOR.fullmatch(text[m.end : nxt.offset])
            ):
                m.needs_evidence = False


def accepted(
    mentions: list[Mention], source_province: str = "", evident: set[str] | frozenset[str] = frozenset()
) -> list[tuple[int, str, bool]]:
    """[(offset, legacy province, strong)]: mentions that need evidence keep only what has it."""
    return [
        (m.offset, m.province, m.strong)
        for m in mentions
        if not m.needs_evidence or m.province == source_province or (m.alias in ARTICLE_WIDE and m.province in evident)
    ]


def evidence(*scans: list[Mention]) -> set[str]:
    """Provinces named with context somewhere in these texts (for :data:`ARTICLE_WIDE` names)."""
    return {m.province for ms in scans for m in ms if m.strong or not m.needs_evidence}


def find_mentions(text: str, source_province: str = "") -> list[tuple[int, str, bool]]:
    """[(offset, legacy province, strong_context)] for every accepted mention in ``text``."""
    mentions = scan(text)
    return accepted(mentions, source_province, evidence(mentions))


class ProvinceTagger(Enricher):
    name = "provinces"

    def enrich(self, article: Article, ctx: EnrichContext) -> None:
        source_province = canonical(getattr(ctx.source, "province", "") or article.source_province)
        fields = {"title": article.title, "lead": article.lead, "body": article.body}
        scans = {f: scan(t) for f, t in fields.items()}
        evident = evidence(*scans.values())
        mentions = {f: accepted(scans[f], source_province, evident) for f in fields}
        counts: Counter[str] = Counter(p for f in mentions for _, p, _ in mentions[f])
        strong: Counter[str] = Counter(p for f in mentions for _, p, s in mentions[f] if s)
        if not counts:
            # A portal's own news often says only "tỉnh" / "UBND tỉnh": it is about its province.
            own = [source_province] if source_province and article.text else []
            article.provinces, article.primary_province = own, own[0] if own else ""
        else:
            primary = choose_primary(mentions, counts, strong, source_province)
            article.provinces = [primary] + sorted(
                (p for p in counts if p != primary), key=lambda p: (-counts[p], _first(mentions["body"], p))
            )
            article.primary_province = primary
        article.provinces_current = list(dict.fromkeys(to_current(p) for p in article.provinces))
        article.primary_province_current = to_current(article.primary_province) if article.primary_province else ""


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
