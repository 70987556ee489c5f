"""`articles=N` adds N reachable, discoverable, deterministic articles with exact truth."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from demoweb_http import discover, fetch, resolve

from config.sources import load_sources
from demoweb import DemoWeb
from demoweb.generator import TEMPLATES, generate
from demoweb.provinces import LEGACY_TO_CURRENT
from demoweb.registry import build_specs

CONFIG = Path(__file__).resolve().parents[2] / "config" / "sources.demo.yaml"


@pytest.fixture(scope="module")
def big():
    with DemoWeb(port=0, articles=200, seed=7) as w:
        yield w, w.ground_truth()


def test_adds_exactly_n_generated_articles_spread_over_sites(big, truth):
    web, gt = big
    generated = [t for t in gt if t["generated"]]
    assert len(generated) == 200 and len(gt) == len(truth) + 200
    assert len({t["site"] for t in generated}) == len(web.sites)
    assert any(not t["on_topic"] for t in generated) and any(t["periods"] for t in generated)


def test_generated_articles_are_served_with_title_and_lead(big):
    web, gt = big
    for t in [t for t in gt if t["generated"]]:
        page = fetch(t["url"])
        assert page.status == 200, t["url"]
        assert t["title"] in page.text.replace("&#39;", "'"), t["url"]


def test_generated_articles_are_discoverable_through_the_config(big):
    web, gt = big
    for src in load_sources(CONFIG, {"DEMO_PORT": web.port}):
        expected = {t["url"] for t in gt if t["site"] == src.name}
        found = {resolve(u) for u in discover(src)}
        assert expected <= found, f"{src.name}: {len(expected - found)} missing"


def test_generation_is_deterministic_by_seed():
    specs = {s.name: s for s in build_specs()}
    one = [(a.title, a.body_text, a.date) for a in generate(60, 3, specs)]
    again = [(a.title, a.body_text, a.date) for a in generate(60, 3, specs)]
    other = [(a.title, a.body_text, a.date) for a in generate(60, 4, specs)]
    assert one == again and one != other


def test_generated_truth_names_exactly_what_the_text_names():
    specs = {s.name: s for s in build_specs()}
    for a in generate(400, 11, specs):
        text = " ".join([a.title, a.lead, a.body_text])
        named = {p for p in LEGACY_TO_CURRENT if re.search(rf"(?<!\w){p}(?!\w)", text)}
        assert named == set(a.provinces), (a.title, named, a.provinces)
        for partner in a.partners:
            forms = [f.format(P=a.primary_province) for f in TEMPLATES["partners"][partner]]
            assert any(f in text for f in forms), (a.title, partner)
        for start, end in a.periods:
            assert str(start) in text and (str(end) in text or f"{end % 100:02d}" in text)


def test_five_thousand_articles_serve_without_prewriting_files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    web = DemoWeb(port=0, articles=5000)
    with web:
        site = web.sites[0]
        assert fetch(site.base_url).status == 200
        assert len(web.ground_truth()) >= 5065
        last = web.stores[site.name].spec.listing_path("chuyen-doi-so", 30)
        assert fetch(web.url(site.name, last)).status == 200
    assert not list(tmp_path.iterdir())


def test_generated_articles_after_the_merger_name_only_surviving_provinces():
    specs = {s.name: s for s in build_specs()}
    late = [a for a in generate(600, 5, specs) if a.date.year == 2026]
    assert late
    assert all(LEGACY_TO_CURRENT[p] == p for a in late for p in a.provinces)
