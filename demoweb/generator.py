"""Generated articles for load tests: `--articles N` adds N deterministic articles with truth.

Composed from sentence templates (generator_templates.yaml) with a random province, partner, date
and agreement period. Every name that reaches the text comes from a placeholder, so the truth
(provinces, partners, periods) is exact by construction. Same (n, seed) → same articles.
Some on-topic articles are about a theme (recruitment, digital signatures, health, tourism, smart
city, building permits, schools, farm e-commerce) or mention one in passing, so searches for those
words have real material, and real near-misses (tuyển dụng beside Tuyên Quang … ứng dụng).
"""

from __future__ import annotations

import random
from datetime import datetime
from pathlib import Path

import yaml

from .model import VN_TZ, Article, slugify
from .provinces import LEGACY_TO_CURRENT

TEMPLATES = yaml.safe_load((Path(__file__).parent / "generator_templates.yaml").read_text("utf-8"))
PROVINCES = sorted(LEGACY_TO_CURRENT)
CITIES = {"Hà Nội", "Hồ Chí Minh", "Đà Nẵng", "Hải Phòng", "Cần Thơ"}
KIND_WEIGHTS = [("agreement", 30), ("news", 35), ("report", 14), ("research", 6), ("offtopic", 15)]
PEOPLE = [
    "Nguyễn Văn An",
    "Trần Thị Bình",
    "Lê Minh Cường",
    "Phạm Quốc Dũng",
    "Hoàng Thị Hạnh",
    "Vũ Đức Long",
    "Đặng Thu Hương",
    "Bùi Văn Khánh",
    "Đỗ Thị Lan",
    "Ngô Quang Minh",
]
FIRST, LAST = datetime(2019, 1, 1, tzinfo=VN_TZ), datetime(2026, 6, 30, tzinfo=VN_TZ)
MERGER = datetime(2025, 7, 1, tzinfo=VN_TZ)
SURVIVING = [p for p in PROVINCES if LEGACY_TO_CURRENT[p] == p]
THEME_SHARE = 0.5  # on-topic news written about one theme (recruitment, health, …): its title and paragraphs
MENTION_SHARE = 0.25  # other on-topic articles touching a theme in one sentence
AUTHORS = ["", "", "Minh Anh", "Thu Hà", "Quốc Tuấn", "Lan Hương", "Đức Thịnh"]


def tinh(p: str) -> str:
    if p == "Hồ Chí Minh":
        return "TP. Hồ Chí Minh"
    return ("thành phố " if p in CITIES else "tỉnh ") + p


def period_text(rng: random.Random, a: int, b: int) -> str:
    return rng.choice([f"{a}-{b}", f"{a} - {b}", f"{a} – {b}", f"{a}-{b}", f"{a} – {b % 100:02d}"])


class _Fill(dict):
    """format_map dict that records which placeholders a template used (for the truth)."""

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.used: set[str] = set()

    def __getitem__(self, key):
        self.used.add(key)
        value = super().__getitem__(key)
        if key == "X":  # full name at first mention, short afterwards
            self["X"] = super().__getitem__("Xs")
        return value


def make_article(i: int, seed: int, site_spec) -> Article:
    rng = random.Random(f"demoweb:{seed}:{i}")
    kind = rng.choices([k for k, _ in KIND_WEIGHTS], [w for _, w in KIND_WEIGHTS])[0]
    on_topic = kind != "offtopic"
    date = FIRST + (LAST - FIRST) * rng.random()
    date = date.replace(hour=rng.randint(7, 18), minute=rng.randrange(60), second=0, microsecond=0)
    # after the July-2025 merger only the 34 surviving names appear in new articles
    pool = PROVINCES if date < MERGER else SURVIVING
    own = site_spec.province if site_spec.province in pool else ""
    p = own if own and rng.random() < 0.5 else rng.choice(pool)
    p2 = rng.choice([x for x in pool if x != p])
    partner = rng.choice(sorted(TEMPLATES["partners"]))
    forms = [f.format(P=p) for f in TEMPLATES["partners"][partner]]
    a = date.year + rng.choice([0, 0, 1])
    b = a + rng.choice([4, 4, 5, 3])
    fill = _Fill(
        P=p,
        tinhP=tinh(p),
        P2=p2,
        tinhP2=tinh(p2),
        X=forms[0],
        Xs=rng.choice(forms[1:] or forms),
        period=period_text(rng, a, b),
        d=date.day,
        m=date.month,
        y=date.year,
        y0=date.year - 1,
        n1=rng.randint(3, 12),
        n2=rng.randint(20, 900),
        n3=f"{rng.randint(2, 300) * 1000:,}".replace(",", "."),
        pct=rng.randint(40, 95),
        pct2=rng.randint(5, 30),
        person=rng.choice(PEOPLE),
    )
    tpl = TEMPLATES[kind]
    title_tpl, lead_tpl = rng.choice(tpl["titles"]), rng.choice(tpl["leads"])
    # Themes draw from their own stream, so every draw above and below stays as it was without them.
    xr = random.Random(f"demoweb:{seed}:{i}:theme")
    theme = TEMPLATES["themes"][xr.choice(sorted(TEMPLATES["themes"]))]
    themed = kind == "news" and xr.random() < THEME_SHARE
    passing = on_topic and not themed and xr.random() < MENTION_SHARE
    if themed:
        title_tpl = xr.choice(theme["titles"])
    title = title_tpl.format_map(fill)
    lead = lead_tpl.format_map(fill)
    if kind == "research":
        paras = list(tpl["paras"])
    else:
        paras = rng.sample(tpl["paras"], k=min(len(tpl["paras"]), rng.randint(3, 6)))
    if rng.random() < 0.5 or "X" in fill.used:
        paras = [x for x in paras if "{tinhP2}" not in x and "{P2}" not in x] or paras
    if themed:
        paras = list(theme["paras"]) + paras
    elif passing:
        paras.insert(xr.randint(1, len(paras)), theme["mention"])
    body = [x.format_map(fill) for x in paras]
    used = fill.used
    provinces = [p] + ([p2] if {"P2", "tinhP2"} & used else [])
    partners = [partner] if {"X", "Xs"} & used else []
    cats = list(site_spec.categories)
    topic_cat = "chuyen-doi-so" if "chuyen-doi-so" in cats else cats[0]
    category = topic_cat if on_topic else rng.choice([c for c in cats if c != topic_cat] or cats)
    return Article(
        site=site_spec.name,
        slug=f"{slugify(title, 10)}-g{i + 1}",
        category=category,
        title=title,
        date=date,
        paragraphs_source=body,
        lead=lead,
        author=rng.choice(AUTHORS),
        provinces=provinces,
        primary_province=p,
        partners=partners,
        periods=[[a, b]] if kind == "agreement" else [],
        kind="news" if kind == "offtopic" else kind,
        on_topic=on_topic,
        generated=True,
        mess=["generated"],
    )


def generate(n: int, seed: int, specs: dict) -> list[Article]:
    """N articles spread round-robin over the sites (deterministic for a given seed)."""
    names = list(specs)
    return [make_article(i, seed, specs[names[i % len(names)]]) for i in range(n)]
