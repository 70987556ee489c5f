"""Tagging benchmark: provinces, partners, periods, kind, topic and duplicates vs demo truth,
then provinces and partners on a held-out set.

    .venv/bin/python bench/tagging.py [--generated N] [--errors 10] [--heldout-only]

Every article page of the demo web is fetched over HTTP and run through build_article (with its
source's province, as the crawler does), then the batch through the duplicate clusterer.
Precision/recall are micro-averaged over (article, value) pairs. Provinces compare legacy (63)
and current (34) names; primary province is an accuracy. Duplicates are scored on pairs of
articles: predicted same cluster vs. same syndication group.

The demo web is what the rules were written against, so its figures say little about new text.
The held-out set (tests/indexer/fixtures/heldout_tagging.yaml: short articles written for
scoring, built around the hard cases — names that are also words or people, head offices named
in passing, merged provinces, odd dashes in legal names) is scored separately, and printed
beside the demo figures.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "indexer"))

from extraction import demo_pages, demo_sources  # noqa: E402
from heldout import HELDOUT, heldout_articles  # noqa: E402

from config.sources import Source  # noqa: E402
from indexer.duplicates import cluster_articles  # noqa: E402
from indexer.enrichment.admin_units import to_current  # noqa: E402
from indexer.pipeline import build_article  # noqa: E402


class PR:
    def __init__(self) -> None:
        self.tp = self.fp = self.fn = 0

    def add(self, want, got) -> tuple[set, set]:
        want, got = set(want), set(got)
        self.tp += len(want & got)
        self.fp += len(got - want)
        self.fn += len(want - got)
        return got - want, want - got

    def row(self, label: str) -> str:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return f"{label:28} {p:>9.3f} {r:>9.3f} {f:>9.3f} {self.tp:>6} {self.fp:>5} {self.fn:>5}"


def source_for(truth: dict, sites: dict, configured: dict) -> Source:
    """The site's entry in config/sources.demo.yaml, else one made from the demo registry."""
    if truth["site"] in configured:
        return configured[truth["site"]]
    kind, province = sites.get(truth["site"], ("press", ""))
    return Source(name=truth["site"], kind=kind, allowed_domains=["demo"], province=province)


def heldout_report(errors_shown: int) -> None:
    scores = defaultdict(PR)
    acc = [0, 0]
    errors = defaultdict(list)
    for case, a in heldout_articles():
        want_current = list(dict.fromkeys(to_current(p) for p in case["provinces"]))
        for facet, want, got in (
            ("provinces (legacy 63)", case["provinces"], a.provinces),
            ("provinces (current 34)", want_current, a.provinces_current),
            ("partners", case["partners"], a.partners),
        ):
            extra, missing = scores[facet].add(want, got)
            if extra or missing:
                errors[facet].append(f"{case['id']}: extra={sorted(extra)} missing={sorted(missing)}")
        acc[0] += case["primary_province"] == a.primary_province
        acc[1] += 1
        if case["primary_province"] != a.primary_province:
            errors["primary province"].append(
                f"{case['id']}: want={case['primary_province']!r} got={a.primary_province!r}"
            )
    print(f"\nHeld-out: {acc[1]} labelled articles ({HELDOUT.relative_to(HELDOUT.parents[3])})\n")
    print(f"{'facet':28} {'precision':>9} {'recall':>9} {'F1':>9} {'tp':>6} {'fp':>5} {'fn':>5}")
    for facet in ("provinces (legacy 63)", "provinces (current 34)", "partners"):
        print(scores[facet].row(facet))
    print()
    print(f"{'primary province accuracy':28} {acc[0] / acc[1]:>9.3f}  ({acc[0]}/{acc[1]})")
    if errors_shown:
        for facet, errs in errors.items():
            print(f"\n{facet} (held-out): {len(errs)} errors")
            for e in errs[:errors_shown]:
                print("  " + e)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--generated", type=int, default=None, help="also generate N demo articles")
    ap.add_argument("--errors", type=int, default=10, help="show up to N errors per facet")
    ap.add_argument("--heldout-only", action="store_true", help="skip the demo web")
    args = ap.parse_args()
    if args.heldout_only:
        heldout_report(args.errors)
        return
    from demoweb.registry import build_specs

    sites = {s.name: (s.kind, s.province) for s in build_specs()}
    configured = demo_sources()

    scores = defaultdict(PR)
    acc = defaultdict(lambda: [0, 0])
    errors = defaultdict(list)
    pairs = []
    for truth, body, headers in demo_pages(args.generated):
        a = build_article(body, truth["url"], headers=headers, source=source_for(truth, sites, configured))
        pairs.append((truth, a))
        short = truth["url"].split("/", 3)[-1][:60]
        for facet, want, got in (
            ("provinces (legacy 63)", truth["provinces"], a.provinces),
            ("provinces (current 34)", truth["provinces_current"], a.provinces_current),
            ("partners", truth["partners"], a.partners),
            ("periods", [tuple(p) for p in truth["periods"]], [tuple(p) for p in a.periods]),
        ):
            extra, missing = scores[facet].add(want, got)
            if extra or missing:
                errors[facet].append(f"{short}: extra={sorted(extra)} missing={sorted(missing)}")
        for facet, want, got in (
            ("primary province", truth["primary_province"], a.primary_province),
            ("kind", truth["kind"], a.kind),
            ("on_topic", truth["on_topic"], a.on_topic),
        ):
            acc[facet][0] += want == got
            acc[facet][1] += 1
            if want != got:
                errors[facet].append(
                    f"{short}: want={want!r} got={got!r}" + (f" score={a.topic_score}" if facet == "on_topic" else "")
                )
    cluster_articles([a for _, a in pairs])
    dup = PR()
    for (t1, a1), (t2, a2) in combinations(pairs, 2):
        same_truth = bool(t1["syndication_group"]) and t1["syndication_group"] == t2["syndication_group"]
        same_ours = a1.cluster_id == a2.cluster_id
        dup.tp += same_truth and same_ours
        dup.fp += same_ours and not same_truth
        dup.fn += same_truth and not same_ours
        if same_ours != same_truth:
            errors["duplicates"].append(f"{t1['url'][-40:]} ~ {t2['url'][-40:]}: truth={same_truth}")
    groups = defaultdict(list)
    for t, a in pairs:
        if t["syndication_group"]:
            groups[t["syndication_group"]].append(a.is_canonical)
    one_canonical = sum(1 for v in groups.values() if sum(v) == 1)

    print(f"Tagging on the demo web: {len(pairs)} labelled articles\n")
    print(f"{'facet':28} {'precision':>9} {'recall':>9} {'F1':>9} {'tp':>6} {'fp':>5} {'fn':>5}")
    for facet in ("provinces (legacy 63)", "provinces (current 34)", "partners", "periods"):
        print(scores[facet].row(facet))
    print(dup.row("duplicate pairs"))
    print()
    for facet, (ok, n) in acc.items():
        print(f"{facet + ' accuracy':28} {ok / n:>9.3f}  ({ok}/{n})")
    print(f"{'one canonical per group':28} {one_canonical}/{len(groups)} syndication groups")
    if args.errors:
        for facet, errs in errors.items():
            print(f"\n{facet}: {len(errs)} errors")
            for e in errs[: args.errors]:
                print("  " + e)
    heldout_report(args.errors)


if __name__ == "__main__":
    main()
