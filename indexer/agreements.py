"""Agreements as data: the signings that articles of kind ``agreement`` report, one record each.

An agreement is (province, partner, period): "Tuyên Quang – VNPT – 2023–2028". Its parties are
the ones the headline names — a signing article names them there ("UBND tỉnh Thanh Hóa và Tập
đoàn VNPT ký kết…"), while the body also names other provinces (the partner's home, a merged
neighbour) and earlier periods ("after the 2017–2022 agreement…"). So:

- provinces: the article's provinces written in its title; none there ("…giữa UBND tỉnh và Tập
  đoàn…", the province's own paper) → its primary province;
- partners: the partners found in the title, else in the lead, else all;
- period: the article's latest stated period (a renewal names the old one too); none → unknown.

Every article reporting the same (province, partner, period) feeds one record (syndicated copies
and other papers' reports), so a signing is listed once. A record without a period joins one of
the same province and partner reported within SAME_SIGNING_DAYS of it. The signing date is the
earliest report's publication date (papers report a signing the day it happens or the next).
What was agreed: the first sentences that list the areas (``lĩnh vực``, ``nội dung``, ``tập
trung``…), else the lead. An agreement whose period ended before ``today``'s year with no later
signing of the same province and partner is *expired*; with one, *renewed*.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from indexer.article import Article
from indexer.enrichment.admin_units import to_current
from indexer.normalize import canonical_lines, fold
from indexer.timeutil import iso_day

SIGNING_TITLE = re.compile(r"\b(ký|thỏa thuận|thoả thuận|hợp tác)\b", re.I)
# Sentences that state the content of the deal come first ("Theo thỏa thuận, hai bên hợp tác…"),
# then any sentence listing areas; a quote or a history paragraph is only a fallback.
CONTENT_WORDS = re.compile(r"theo (thỏa|thoả) thuận|hai bên|nội dung hợp tác|hợp tác trên|theo đó", re.I)
AREA_WORDS = re.compile(r"lĩnh vực|nội dung|tập trung|theo thỏa thuận|theo thoả thuận|theo đó|bao gồm|gồm các", re.I)
SENTENCE = re.compile(r"(?<=[.!?…])\s+(?=[A-ZÀ-Ỹ0-9“\"])")
MAX_AREA_CHARS = 420
# A report without a period is the same signing as a dated one of the same pair published within
# this many days (papers cover a signing within days); later, it is a signing of its own.
SAME_SIGNING_DAYS = 45


@dataclass
class Report:
    id: str
    title: str
    url: str
    source: str
    source_title: str
    published: str | None
    is_canonical: bool


@dataclass
class Agreement:
    province: str  # legacy name, as the articles wrote it
    province_current: str  # after the July 2025 merger
    partners: list[str]
    period: tuple[int, int] | None
    signed: str | None = None  # YYYY-MM-DD of the earliest report
    areas: str = ""
    reports: list[Report] = field(default_factory=list)
    status: str = "active"  # active | expired | renewed | unknown

    @property
    def id(self) -> str:
        period = f"{self.period[0]}-{self.period[1]}" if self.period else "na"
        return fold(f"{self.province}-{'+'.join(self.partners)}-{period}").replace(" ", "-")

    @property
    def expired(self) -> bool:
        return self.status == "expired"

    @property
    def period_label(self) -> str:
        return f"{self.period[0]}–{self.period[1]}" if self.period else "không rõ"

    @property
    def province_label(self) -> str:
        if self.province_current and self.province_current != self.province:
            return f"{self.province} (nay {self.province_current})"
        return self.province

    @property
    def years(self) -> list[int]:
        return list(range(self.period[0], self.period[1] + 1)) if self.period else []

    @property
    def articles(self) -> list[Report]:
        return self.reports

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "province": self.province,
            "province_current": self.province_current,
            "partners": list(self.partners),
            "period": list(self.period) if self.period else None,
            "signed": self.signed,
            "status": self.status,
            "expired": self.expired,
            "areas": self.areas,
            "articles": [r.__dict__.copy() for r in self.reports],
        }


def is_signing(a: Article) -> bool:
    """An agreement article, or a report whose headline states a signing."""
    return a.kind == "agreement" or (
        a.kind == "report" and bool(re.search(r"\bký\b", a.title, re.I)) and bool(SIGNING_TITLE.search(a.title))
    )


def _written_in(name: str, text: str) -> bool:
    from indexer.enrichment.admin_units import aliases

    folded = f" {fold(canonical_lines(text))} "
    spellings = aliases().get(name, [name])
    return any(re.search(rf"(?<![\w]){re.escape(fold(s))}(?![\w])", folded) for s in spellings)


def parties(a: Article) -> tuple[list[str], list[str]]:
    """(provinces, partners) of the signing ``a`` reports (see the module docstring)."""
    provinces = [p for p in a.provinces if _written_in(p, a.title)]
    if not provinces:
        provinces = [a.primary_province] if a.primary_province else a.provinces[:1]
    where = a.partner_mentions or {}
    partners = (
        [p for p in a.partners if "title" in where.get(p, [])]
        or [p for p in a.partners if "lead" in where.get(p, [])]
        or list(a.partners)
    )
    return provinces, partners


def signed_period(a: Article) -> tuple[int, int] | None:
    periods = [tuple(p) for p in a.periods if len(p) == 2]
    return max(periods, key=lambda p: (p[0], p[1])) if periods else None


def agreed_areas(a: Article) -> str:
    text = a.text
    sentences = [s.strip() for para in text.split("\n") for s in SENTENCE.split(para.strip()) if s.strip()]
    history = re.compile(r"giai đoạn (trước|đầu)|sau \d+ năm|đã (ký|triển khai)", re.I)
    period = signed_period(a)
    other_period = (
        (lambda s: any(int(y) != period[0] for y in re.findall(r"\b(20\d\d)\s*[-–]\s*20\d\d\b", s)))
        if period
        else (lambda s: False)
    )
    sentences = [s for s in sentences if not history.search(s) and not other_period(s)] or sentences
    content = [s for s in sentences if CONTENT_WORDS.search(s)]
    areas = [s for s in sentences if AREA_WORDS.search(s) and s not in content and not s.startswith(("“", '"'))]
    chosen = list(dict.fromkeys(content + areas))[:2]
    out = " ".join(chosen)
    if not out and a.lead.strip():
        out = SENTENCE.split(a.lead.strip())[0]
    return out if len(out) <= MAX_AREA_CHARS else out[:MAX_AREA_CHARS].rsplit(" ", 1)[0] + "…"


def _current(legacy: str, a: Article) -> str:
    return to_current(legacy) or legacy


def build_agreements(articles: Iterable[Article], today: dt.date | None = None) -> list[Agreement]:
    today = today or dt.date.today()
    records: dict[tuple, Agreement] = {}
    undated: list[tuple[tuple, Article]] = []
    for a in sorted((a for a in articles if is_signing(a)), key=lambda a: (a.published or "", a.id)):
        provinces, partners = parties(a)
        period = signed_period(a)
        for province in provinces:
            for partner in partners:
                key = (province, partner, period)
                if period is None:
                    undated.append((key, a))
                    continue
                _add(records, key, a)
    for (province, partner, _), a in undated:  # join a dated report of the same signing
        day = iso_day(a.published)
        match = next(
            (
                k
                for k, r in records.items()
                if k[:2] == (province, partner)
                and day
                and iso_day(r.signed)
                and abs((iso_day(r.signed) - day).days) <= SAME_SIGNING_DAYS
            ),
            None,
        )
        _add(records, match or (province, partner, None), a)
    out = sorted(records.values(), key=lambda r: (r.signed or "", r.province, r.partners))
    _mark_status(out, today)
    return out


def _add(records: dict, key: tuple, a: Article) -> None:
    province, partner, period = key
    rec = records.get(key)
    if rec is None:
        rec = records[key] = Agreement(province, _current(province, a), [partner], period)
    if any(r.id == a.id for r in rec.reports):
        return
    rec.reports.append(Report(a.id, a.title, a.url, a.source, a.source_title, a.published, a.is_canonical))
    day = (a.published or "")[:10] or None
    if day and (rec.signed is None or day < rec.signed):
        rec.signed = day
    if not rec.areas or (a.is_canonical and len(agreed_areas(a)) > len(rec.areas)):
        rec.areas = agreed_areas(a)


def _mark_status(records: list[Agreement], today: dt.date) -> None:
    for r in records:
        if r.period is None:
            r.status = "unknown"
            continue
        if r.period[1] >= today.year:
            r.status = "active"
            continue
        later = any(
            o is not r
            and o.province == r.province
            and set(o.partners) & set(r.partners)
            and ((o.period and o.period[0] > r.period[0]) or (o.signed and r.signed and o.signed > r.signed))
            for o in records
        )
        r.status = "renewed" if later else "expired"
