"""How well the agreement records (indexer/agreements.py) match the demo web's ground truth.

    .venv/bin/python bench/agreements.py [--generated N] [--seed S] [--dump]

The demo web is served, every page fetched over HTTP and built into an Article as the crawler
builds it (bench/relevance.py's ``build_corpus``), then clustered; the agreement records are built
from those Articles and compared with the truth as **(province, partner, period) triples**.

The truth has no agreement list, only each page's labels (kind, provinces, partners, periods). A
truth agreement is therefore read from every page labelled ``agreement``: its parties are the
labelled provinces and partners its headline names (a signing headline names them: "UBND tỉnh
Thanh Hóa và Tập đoàn VNPT ký kết…"; the body also names the partner's home city or a merged
neighbour), falling back to the labelled primary province / all labelled partners when the
headline names none; its period is the latest labelled period (a renewal also states the old
one), or none. Pages reporting the same triple are one agreement. Precision = records that are
truth triples / records; recall = truth triples found / truth triples. The seed agreements named
in issue 9 must each appear exactly once.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from indexer.agreements import build_agreements  # noqa: E402
from indexer.enrichment.partners import load_partners  # noqa: E402
from indexer.normalize import canonical_lines, fold  # noqa: E402

SEEDS = [
    ("Tuyên Quang", "VNPT", (2023, 2028)),
    ("Thanh Hóa", "VNPT", (2021, 2025)),
    ("Bắc Kạn", "VNPT", (2020, 2025)),
    ("Tuyên Quang", "Viettel", None),
]
TARGET = 0.95


def _in_title(name: str, title: str) -> bool:
    from indexer.enrichment.admin_units import aliases

    folded = f" {fold(canonical_lines(title))} "
    return any(
        f" {fold(s)} " in folded.replace(",", " ").replace(":", " ") or fold(s) in folded
        for s in aliases().get(name, [name])
    )


def truth_triples(truths: list[dict]) -> set[tuple]:
    partners = load_partners()
    out = set()
    for t in truths:
        if t.get("kind") != "agreement":
            continue
        provinces = [p for p in t["provinces"] if _in_title(p, t["title"])] or [
            t.get("primary_province") or t["provinces"][0]
        ]
        named = {name for _, name in partners.find(t["title"])}
        parts = [p for p in t["partners"] if p in named] or list(t["partners"])
        periods = [tuple(p) for p in t.get("periods") or []]
        period = max(periods) if periods else None
        out |= {(p, q, period) for p in provinces for q in parts}
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--generated", type=int, default=0, help="generated demo articles besides the seed pages")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--dump", action="store_true", help="print every record and every miss")
    args = ap.parse_args()
    from bench.relevance import build_corpus

    t0 = time.monotonic()
    truths, articles = build_corpus(args.generated, args.seed)
    built = time.monotonic() - t0
    records = build_agreements(articles, dt.date.today())
    found = [(r.province, p, r.period) for r in records for p in r.partners]
    truth = truth_triples(truths)
    hits = [f for f in found if f in truth]
    precision = len(hits) / len(found) if found else 0.0
    recall = len(truth & set(found)) / len(truth) if truth else 0.0
    print(
        f"Corpus: {len(articles)} pages ({args.generated} generated, seed {args.seed}), built in {built:.1f}s; "
        f"{sum(1 for t in truths if t.get('kind') == 'agreement')} labelled agreement pages"
    )
    print(
        f"Agreement records: {len(records)} ({len(found)} province–partner–period triples); truth triples: {len(truth)}"
    )
    print(f"precision {precision:.3f}  recall {recall:.3f}  (target ≥ {TARGET})")
    seed_ok = True
    for seed in SEEDS:
        n = found.count(seed)
        seed_ok &= n == 1
        period = f"{seed[2][0]}–{seed[2][1]}" if seed[2] else "(no period stated)"
        print(f"  seed {seed[0]}–{seed[1]} {period}: listed {n}×")
    wrong, missed = sorted(set(found) - truth, key=str), sorted(truth - set(found), key=str)
    dupes = sorted({f for f in found if found.count(f) > 1}, key=str)
    for label, rows in (("not in the truth", wrong), ("missed", missed), ("listed twice", dupes)):
        if rows:
            print(f"{label} ({len(rows)}):" + "".join(f"\n  {r}" for r in rows[: None if args.dump else 10]))
    if args.dump:
        for r in records:
            print(
                f"{r.province} | {', '.join(r.partners)} | {r.period_label} | {r.signed} | {r.status} | "
                f"{len(r.reports)} bài | {r.areas[:100]}"
            )
    return 0 if precision >= TARGET and recall >= TARGET and seed_ok and not dupes else 1


if __name__ == "__main__":
    sys.exit(main())
