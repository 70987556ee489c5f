"""Extraction benchmark: our pipeline vs plain trafilatura on the demo web's ground truth.

    .venv/bin/python bench/extraction.py [--generated N] [--worst 5]

Fetches every article page of the demo web over real HTTP and scores, per page: body-text token
F1 (macro mean), title accuracy, date accuracy where the page shows a date (day, and day+time
when the truth has a time), author accuracy. Two body scores: "folded" compares search keys
(pure extraction: which words were kept), "as shown" compares the text a reader would see
against the canonical truth (so NFD or mixed tone marks count as wrong words).
Plain trafilatura gets the raw bytes, exactly as a Scrapy pipeline would hand them over.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
import urllib.request
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import trafilatura  # noqa: E402

from indexer.normalize import canonical, canonical_lines, search_key  # noqa: E402
from indexer.pipeline import build_article  # noqa: E402

_TOKEN = re.compile(r"\w+")


def fetch(url: str) -> tuple[bytes, dict[str, str]]:
    with urllib.request.urlopen(url, timeout=30) as resp:
        return resp.read(), {k: v for k, v in resp.headers.items()}


def demo_pages(generated: int | None = None):
    """Start the demo web; yield (truth, body, headers) for every article page; stop it."""
    from demoweb import DemoWeb

    web = DemoWeb(port=0, articles=generated).start()
    try:
        for truth in web.ground_truth():
            body, headers = fetch(truth["url"])
            yield truth, body, headers
    finally:
        web.stop()


def demo_sources() -> dict:
    """Source configs of the demo sites (config/sources.demo.yaml): selectors and provinces."""
    from config.settings import CONFIG_DIR
    from config.sources import load_sources

    path = CONFIG_DIR / "sources.demo.yaml"
    if not path.exists():
        return {}
    return {s.name: s for s in load_sources(path, {"DEMO_PORT": 0}, errors=[])}


def token_f1(truth: str, got: str) -> float:
    t, g = Counter(_TOKEN.findall(truth)), Counter(_TOKEN.findall(got))
    if not t and not g:
        return 1.0
    common = sum((t & g).values())
    if not common:
        return 0.0
    p, r = common / sum(g.values()), common / sum(t.values())
    return 2 * p * r / (p + r)


def date_ok(truth: dict, got: str | None, with_time: bool) -> bool | None:
    """None when not scored (page shows no date, or no time to check)."""
    if not truth.get("date_shown"):
        return None
    want = truth["date"]
    if with_time:
        if "T" not in want:
            return None
        return bool(got) and got[:16] == want[:16]
    return bool(got) and got[:10] == want[:10]


def plain_trafilatura(body: bytes, url: str) -> dict:
    doc = trafilatura.bare_extraction(
        body,
        url=url,
        with_metadata=True,
        include_comments=False,
        date_extraction_params={"extensive_search": True, "original_date": True, "outputformat": "%Y-%m-%dT%H:%M:%S"},
    )
    if doc is None:
        return {"title": "", "body": "", "date": None, "author": ""}
    d = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    date = d.get("date")
    if date and date.endswith("T00:00:00"):
        date = date[:10]
    return {"title": d.get("title") or "", "body": d.get("text") or "", "date": date, "author": d.get("author") or ""}


def ours(body: bytes, url: str, headers: dict, source=None) -> dict:
    a = build_article(body, url, headers=headers, source=source)
    return {"title": a.title, "body": a.text, "date": a.published, "author": a.author, "article": a}


def score(truth: dict, got: dict) -> dict:
    t_body = truth["body"]
    return {
        "f1_folded": token_f1(search_key(t_body), search_key(got["body"])),
        "f1_shown": token_f1(canonical(t_body).lower(), (got["body"] or "").lower()),
        "title": canonical_lines(truth["title"]) == canonical_lines(got["title"]),
        "date_day": date_ok(truth, got["date"], False),
        "date_time": date_ok(truth, got["date"], True),
        "author": (canonical_lines(truth["author"]) == canonical_lines(got["author"])) if truth.get("author") else None,
        "date_hidden": (bool(got["date"]) and got["date"][:10] == truth["date"][:10])
        if not truth.get("date_shown")
        else None,
    }


def mean(values) -> str:
    vals = [float(v) for v in values if v is not None]
    return f"{sum(vals) / len(vals):.3f} (n={len(vals)})" if vals else "-"


def run(generated: int | None, worst: int) -> dict[str, dict[str, list]]:
    names = ("ours", "ours+selectors", "trafilatura")
    results: dict[str, dict[str, list]] = {n: defaultdict(list) for n in names}
    per_site: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    timings = {n: 0.0 for n in names}
    bad: list[tuple[float, str, str]] = []
    sources = demo_sources()
    for truth, body, headers in demo_pages(generated):
        t0 = time.perf_counter()
        mine = ours(body, truth["url"], headers)
        t1 = time.perf_counter()
        plain = plain_trafilatura(body, truth["url"])
        t2 = time.perf_counter()
        configured = ours(body, truth["url"], headers, sources.get(truth["site"]))
        t3 = time.perf_counter()
        timings["ours"] += t1 - t0
        timings["trafilatura"] += t2 - t1
        timings["ours+selectors"] += t3 - t2
        for name, got in (("ours", mine), ("trafilatura", plain), ("ours+selectors", configured)):
            for k, v in score(truth, got).items():
                results[name][k].append(v)
                if name == "ours":
                    per_site[truth["site"]][k].append(v)
        s = score(truth, mine)
        bad.append(
            (
                s["f1_folded"],
                truth["url"],
                f"title_ok={s['title']} date={mine['date']} want={truth['date']} shown={truth['date_shown']}",
            )
        )
    n = len(results["ours"]["f1_folded"])
    print(f"Extraction on the demo web: {n} article pages\n")
    rows = [
        ("body token F1 (folded)", "f1_folded"),
        ("body token F1 (as shown)", "f1_shown"),
        ("title accuracy", "title"),
        ("date accuracy (day, where shown)", "date_day"),
        ("date accuracy (day+time)", "date_time"),
        ("author accuracy", "author"),
        ("date (day) where the page shows none", "date_hidden"),
    ]
    print(f"{'metric':34} {'ours':>16} {'ours+selectors':>16} {'plain trafilatura':>18}")
    for label, key in rows:
        print(
            f"{label:34} {mean(results['ours'][key]):>16} {mean(results['ours+selectors'][key]):>16} "
            f"{mean(results['trafilatura'][key]):>18}"
        )
    print(
        f"{'time per page (ms)':34} "
        + " ".join(f"{1000 * timings[k] / max(n, 1):>{w}.1f}" for k, w in zip(names, (16, 16, 18)))
    )
    print(
        "\n'ours' uses no source config; 'ours+selectors' adds the selectors of "
        "config/sources.demo.yaml, as the crawler does."
    )
    print("\nOurs per site:")
    print(f"{'site':22} {'F1 folded':>16} {'title':>16} {'date day':>16} {'date+time':>16}")
    for site, r in sorted(per_site.items()):
        print(
            f"{site:22} {mean(r['f1_folded']):>16} {mean(r['title']):>16} "
            f"{mean(r['date_day']):>16} {mean(r['date_time']):>16}"
        )
    if worst:
        print(f"\nWorst {worst} pages (ours, folded F1):")
        for f1, url, info in sorted(bad)[:worst]:
            print(f"  {f1:.3f} {url} {info}")
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--generated", type=int, default=None, help="also generate N demo articles")
    ap.add_argument("--worst", type=int, default=5, help="list the N worst pages")
    args = ap.parse_args()
    run(args.generated, args.worst)


if __name__ == "__main__":
    main()
