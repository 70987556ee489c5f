"""The demo's articles: source content and ground truth kept together, one YAML file per article.

Why one record for both: the page is rendered from exactly the text the truth claims, so the truth
can never drift from what a crawler sees. Dates are Vietnam local time (GMT+7).
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import cached_property
from pathlib import Path

import yaml

from .provinces import LEGACY_TO_CURRENT, PARTNERS, current_provinces

VN_TZ = timezone(timedelta(hours=7))
CONTENT_DIR = Path(__file__).parent / "content"
KINDS = ("agreement", "report", "research", "news")
DATE_DISPLAYS = ("visible", "meta", "both", "none")


class ContentError(ValueError):
    """A content file is wrong; names the file so the author can fix it."""


def fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c))


def slugify(text: str, max_words: int = 12) -> str:
    words = re.findall(r"[a-z0-9]+", fold(text).lower())
    return "-".join(words[:max_words]) or "bai-viet"


def parse_date(value) -> datetime:
    """'2021-11-11' or '2021-11-11 15:30' (local time); a date alone gets a plausible office hour."""
    text = str(value).strip()
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d"):
        try:
            dt = datetime.strptime(text, fmt)
            break
        except ValueError:
            continue
    else:
        raise ValueError(f"bad date {value!r}")
    if len(text) == 10:
        h = zlib.crc32(text.encode()) % 10
        dt = dt.replace(hour=7 + h, minute=(h * 7) % 60)
    return dt.replace(tzinfo=VN_TZ)


@dataclass
class Article:
    site: str
    slug: str
    category: str
    title: str
    date: datetime
    paragraphs_source: object = None  # list[str] or a callable making it (generated articles)
    lead: str = ""
    author: str = ""
    date_display: str = ""  # "" = the site's default
    provinces: list[str] = field(default_factory=list)
    primary_province: str = ""
    partners: list[str] = field(default_factory=list)
    periods: list[list[int]] = field(default_factory=list)
    kind: str = "news"
    on_topic: bool = True
    syndication_group: str = ""
    mess: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)  # alt texts of photos (not body text)
    views: int = 0
    id: int = 0
    generated: bool = False
    source_file: str = ""

    @cached_property
    def paragraphs(self) -> list[str]:
        src = self.paragraphs_source
        paras = src() if callable(src) else list(src or [])
        return [unicodedata.normalize("NFC", p) for p in paras]

    @property
    def body_text(self) -> str:
        """The article text exactly as the page shows it (headings without their '## ' marker)."""
        parts = ([self.lead] if self.lead else []) + [p.removeprefix("## ") for p in self.paragraphs]
        return "\n\n".join(parts)

    def validate(self) -> None:
        where = self.source_file or f"{self.site}/{self.slug}"
        unknown = [p for p in self.provinces if p not in LEGACY_TO_CURRENT]
        if unknown:
            raise ContentError(f"{where}: unknown provinces {unknown}")
        if self.primary_province and self.primary_province not in self.provinces:
            raise ContentError(f"{where}: primary_province not among provinces")
        bad = [p for p in self.partners if p not in PARTNERS]
        if bad:
            raise ContentError(f"{where}: unknown partners {bad}")
        if self.kind not in KINDS:
            raise ContentError(f"{where}: kind must be one of {KINDS}")
        if self.date_display and self.date_display not in DATE_DISPLAYS:
            raise ContentError(f"{where}: date_display must be one of {DATE_DISPLAYS}")
        if not self.paragraphs:
            raise ContentError(f"{where}: no paragraphs")

    def truth(self, url: str, date_display: str) -> dict:
        """Every demo site that shows a date also shows its time, so shown ⇒ ISO with time."""
        shown = date_display != "none"
        date = self.date.strftime("%Y-%m-%dT%H:%M:00+07:00") if shown else self.date.strftime("%Y-%m-%d")
        return {
            "url": url,
            "site": self.site,
            "title": self.title,
            "lead": self.lead,
            "body": self.body_text,
            "date": date,
            "date_shown": shown,
            "author": self.author,
            "provinces": list(self.provinces),
            "primary_province": self.primary_province,
            "provinces_current": current_provinces(self.provinces),
            "partners": list(self.partners),
            "periods": [list(p) for p in self.periods],
            "kind": self.kind,
            "on_topic": self.on_topic,
            "syndication_group": self.syndication_group,
            "mess": list(self.mess),
            "generated": self.generated,
        }


FIELDS = (
    "category",
    "title",
    "lead",
    "author",
    "date_display",
    "provinces",
    "primary_province",
    "partners",
    "periods",
    "kind",
    "on_topic",
    "syndication_group",
    "mess",
    "images",
    "views",
    "id",
)


def _nfc(value):
    if isinstance(value, str):  # HTML collapses ASCII whitespace; NBSP/ZWSP survive on purpose
        return unicodedata.normalize("NFC", re.sub(r"[ \t\r\n]+", " ", value).strip(" \t\r\n"))
    if isinstance(value, list):
        return [_nfc(v) for v in value]
    return value


def load_article(path: Path, site: str, lookup: Callable[[str], dict] | None = None) -> Article:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ContentError(f"{path}: {exc}") from exc
    if not isinstance(raw, dict) or "title" not in raw or "date" not in raw:
        raise ContentError(f"{path}: needs at least title and date")
    if "same_text_as" in raw:  # a syndicated copy: same text, its own title and chrome
        other = lookup(raw["same_text_as"]) if lookup else None
        if other is None:
            raise ContentError(f"{path}: same_text_as {raw['same_text_as']!r} not found")
        raw = {**{k: other[k] for k in ("lead", "paragraphs") if k in other}, **raw}
    kwargs = {k: _nfc(raw[k]) for k in FIELDS if k in raw}
    art = Article(
        site=site,
        slug=path.stem,
        date=parse_date(raw["date"]),
        paragraphs_source=_nfc(raw.get("paragraphs") or []),
        source_file=str(path),
        **kwargs,
    )
    if art.provinces and not art.primary_province:
        art.primary_province = art.provinces[0]
    art.validate()
    return art


def load_site_content(site: str, content_dir: Path = CONTENT_DIR) -> list[Article]:
    folder = content_dir / site
    raws: dict[str, dict] = {}

    def lookup(ref: str) -> dict | None:
        if ref not in raws:
            p = content_dir / (ref + ".yaml")
            raws[ref] = yaml.safe_load(p.read_text(encoding="utf-8")) if p.exists() else None
        return raws[ref]

    return [load_article(p, site, lookup) for p in sorted(folder.glob("*.yaml"))]
