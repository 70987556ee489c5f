"""Real Vietnamese article pages, as their sites serve them: the whole article, its title, its day.

The pages come from public repositories that scrape Vietnamese news (provenance in each YAML:
repository@commit:path and date), gzipped under tests/fixtures/real (its README says how they
were labelled); CDS_REAL_FIXTURES points the test at another set.

Each YAML gives the title, the day, the author where the page names one, the lead (the sapo,
else the first paragraph), and the whole text as a reader sees it (lead, paragraphs, subheadings
and captions; no related-news boxes or bylines), from the source's own ground truth where it has
one (fundus), else read off the page by hand. The Article holds the lead apart: its body is the
text after the lead.
"""

from __future__ import annotations

import gzip
import os
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from indexer.normalize import canonical_lines, search_key
from indexer.pipeline import build_article

ROOT = Path(__file__).resolve().parents[2]
MIN_F1 = 0.95


def fixtures_dir() -> Path:
    """CDS_REAL_FIXTURES (another set of pages), else the committed tests/fixtures/real."""
    return Path(os.environ.get("CDS_REAL_FIXTURES") or ROOT / "tests" / "fixtures" / "real")


FIXTURES = sorted(fixtures_dir().rglob("*.yaml"))
# Committed pages: none found is an error, never a skip.
assert FIXTURES, f"no real pages under {fixtures_dir()}: see tests/fixtures/real/README.md"


def _tokens(text: str) -> Counter:
    return Counter(re.findall(r"\w+", search_key(text)))


def body_f1(truth: str, got: str) -> float:
    t, g = _tokens(truth), _tokens(got)
    common = sum((t & g).values())
    if not common:
        return 0.0
    p, r = common / sum(g.values()), common / sum(t.values())
    return 2 * p * r / (p + r)


@pytest.fixture(scope="module", params=FIXTURES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def case(request):
    truth = yaml.safe_load(request.param.read_text(encoding="utf-8"))
    html = gzip.decompress(request.param.with_name(request.param.stem + ".html.gz").read_bytes())
    article = build_article(html, truth["url"], headers={"Content-Type": "text/html"})
    return truth, article


def truth_lead(truth: dict) -> str:
    """``lead:`` (``first:`` in sets written before the lead was a field of its own)."""
    return truth.get("lead") or truth["first"]


def test_the_whole_article_is_extracted(case):
    truth, a = case
    want = "\n\n".join(truth["body"])
    assert body_f1(want, a.text) >= MIN_F1, a.text[:500]
    # the article's last paragraph is there: nothing after the lead was lost
    assert search_key(truth["last"]) in search_key(a.body)


def test_the_lead_is_its_own_field_and_the_body_is_the_rest(case):
    truth, a = case
    assert search_key(a.lead) == search_key(truth_lead(truth))
    rest = [p for p in truth["body"] if search_key(p) != search_key(truth_lead(truth))]
    assert body_f1("\n\n".join(rest), a.body) >= MIN_F1, a.body[:500]


def test_title_and_day(case):
    truth, a = case
    assert canonical_lines(a.title) == canonical_lines(truth["title"])
    assert a.published and a.published[:10] == truth["date"]


def test_lead_shown_once_and_no_research_kind(case):
    truth, a = case
    opening = search_key(truth_lead(truth))[:80]
    assert search_key(a.text).count(opening) == 1  # the sapo is not doubled...
    assert opening not in search_key(a.body)  # ...nor in the body at all
    assert not search_key(a.body).startswith(search_key(a.lead)[:40])
    assert a.kind != "research"  # none of these is an analysis piece
    assert "extractor_failed" not in a.quality_flags
