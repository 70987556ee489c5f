"""Extraction on public benchmarks and on real Vietnamese pages: ours beside plain trafilatura.

    .venv/bin/python bench/extraction_public.py [--suite all|scrapinghub|wcxb|trafilatura|htmldate|vn]
                                                [--limit N] [--wcxb-types article|all] [--worst N]

The data stays out of this repository. Each suite reads a checkout or a bare git copy of its
repository under ``--data`` / ``CDS_BENCH_DATA`` (default ``/work/.mirror``, where the
workplace's ``fetch`` puts snapshots as ``<owner>+<name>/repo``); to get one anywhere else,
``git clone https://github.com/<owner>/<name> $CDS_BENCH_DATA/<owner>+<name>/repo``:

===========  ============================================  ========================================
suite        repository (licence)                          what is scored
===========  ============================================  ========================================
scrapinghub  scrapinghub/article-extraction-benchmark      body (181 news pages)
             (MIT)
wcxb         Murrough-Foley/web-content-extraction-        body, title, date, author (test split,
             benchmark (CC-BY-4.0)                         or --wcxb-split dev; article pages)
trafilatura  adbar/trafilatura tests/evaldata.json         body by trafilatura's own with/without
             (Apache-2.0)                                  snippet counts (precision/recall/F1)
htmldate     adbar/htmldate tests/eval_*.json (Apache-2.0) publication day
vn           real Vietnamese pages (``CDS_REAL_FIXTURES``, body, title, date, author
             see tests/fixtures/real/README.md)
===========  ============================================  ========================================

Body F1 is the bag-of-words F1 of lowercase ``\\w+`` tokens per page, averaged over pages
(precision and recall likewise). Dates compare the day. Both extractors get the same bytes:
ours through the product's path (charset decoding, :func:`indexer.extraction.extract`), plain
trafilatura through ``bare_extraction`` with the settings of trafilatura's own evaluation
(tables in, comments out) and its default date search. Both are timed in the same run.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import subprocess
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import trafilatura  # noqa: E402

from indexer.charsets import decode  # noqa: E402
from indexer.extraction import extract  # noqa: E402

DEFAULT_DATA = "/work/.mirror"
_TOKEN = re.compile(r"\w+")


class Repo:
    """Files of a repository copy: a checkout, or a bare git directory read with ``git``."""

    def __init__(self, path: Path):
        self.path = path
        self.bare = not (path / ".git").exists() and (path / "HEAD").exists()
        self._names: set[str] | None = None

    def names(self) -> set[str]:
        if self._names is None:
            if self.bare:
                out = subprocess.run(
                    ["git", "--git-dir", str(self.path), "ls-tree", "-r", "--name-only", "HEAD"],
                    capture_output=True,
                    check=True,
                )
                self._names = set(out.stdout.decode().splitlines())
            else:
                self._names = {str(p.relative_to(self.path)) for p in self.path.rglob("*") if p.is_file()}
        return self._names

    def read(self, name: str) -> bytes:
        if self.bare:
            return subprocess.run(
                ["git", "--git-dir", str(self.path), "show", f"HEAD:{name}"], capture_output=True, check=True
            ).stdout
        return (self.path / name).read_bytes()

    def commit(self) -> str:
        if not self.bare:
            return "checkout"
        out = subprocess.run(["git", "--git-dir", str(self.path), "rev-parse", "HEAD"], capture_output=True, text=True)
        return out.stdout.strip()[:12]


def open_repo(data: Path, name: str) -> Repo | None:
    for cand in (data / name.replace("/", "+") / "repo", data / name.replace("/", "+"), data / name.split("/")[1]):
        if cand.exists():
            return Repo(cand)
    print(
        f"  {name}: not found under {data} — git clone https://github.com/{name} "
        f"{data}/{name.replace('/', '+')}/repo (or set CDS_BENCH_DATA)"
    )
    return None


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(unicodedata.normalize("NFC", text or "").lower())


def prf(truth: str, got: str) -> tuple[float, float, float]:
    t, g = Counter(tokens(truth)), Counter(tokens(got))
    if not t:
        return (1.0, 1.0, 1.0) if not g else (0.0, 1.0, 0.0)
    if not g:
        return 0.0, 0.0, 0.0
    common = sum((t & g).values())
    p, r = common / sum(g.values()), common / sum(t.values())
    return p, r, (2 * p * r / (p + r) if common else 0.0)


def same_text(a: str, b: str) -> bool:
    return tokens(a) == tokens(b)


def same_author(truth: str, got: str) -> bool:
    """Names compared as words, ignoring case and "(tổng hợp)"-style notes."""
    strip = lambda s: re.sub(r"\(.*?\)", " ", s or "")  # noqa: E731
    return bool(tokens(truth)) and tokens(strip(truth)) == tokens(strip(got))


def run_ours(body: bytes, url: str) -> dict:
    ex = extract(decode(body, "text/html").text, url)
    return {
        "title": ex.title,
        "body": ex.text,
        "author": ex.author,
        "date": ex.date.value.date().isoformat() if ex.date else None,
        "flags": ex.flags,
    }


def run_plain(body: bytes, url: str) -> dict:
    doc = trafilatura.bare_extraction(body, url=url, with_metadata=True, include_comments=False, include_tables=True)
    d = (doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)) if doc else {}
    return {
        "title": d.get("title") or "",
        "body": d.get("text") or "",
        "author": d.get("author") or "",
        "date": (d.get("date") or "")[:10] or None,
        "flags": [],
    }


RUNNERS = {"ours": run_ours, "trafilatura": run_plain}


class Scores:
    def __init__(self):
        self.values: dict[str, dict[str, list[float]]] = {n: defaultdict(list) for n in RUNNERS}
        self.seconds = {n: 0.0 for n in RUNNERS}
        self.pages = 0
        self.worst: list[tuple[float, float, str]] = []

    def add(self, name: str, key: str, value) -> None:
        if value is not None:
            self.values[name][key].append(float(value))

    def mean(self, name: str, key: str) -> str:
        vals = self.values[name][key]
        return f"{sum(vals) / len(vals):.3f}" if vals else "-"

    def count(self, key: str) -> int:
        return len(self.values["ours"][key])


def run_pages(pages, score_page, scores: Scores) -> None:
    """``pages`` yields (id, html bytes, url, truth); ``score_page`` adds figures."""
    for pid, body, url, truth in pages:
        got = {}
        for name, fn in RUNNERS.items():
            t0 = time.perf_counter()
            try:
                got[name] = fn(body, url)
            except Exception as exc:  # a crash scores as an empty result
                print(f"  {name} raised on {pid}: {type(exc).__name__}: {exc}")
                got[name] = {"title": "", "body": "", "author": "", "date": None, "flags": []}
            scores.seconds[name] += time.perf_counter() - t0
        scores.pages += 1
        for name in RUNNERS:
            score_page(scores, name, truth, got[name])
        f_ours = scores.values["ours"].get("f1", [None])[-1]
        f_plain = scores.values["trafilatura"].get("f1", [None])[-1]
        if f_ours is not None and f_plain is not None:
            scores.worst.append((f_ours - f_plain, f_ours, str(pid)))


def score_body(scores: Scores, name: str, truth: dict, got: dict) -> None:
    if "body" in truth:
        p, r, f = prf(truth["body"], got["body"])
        scores.add(name, "p", p)
        scores.add(name, "r", r)
        scores.add(name, "f1", f)
    if truth.get("title"):
        scores.add(name, "title", same_text(truth["title"], got["title"]))
    if truth.get("date"):
        scores.add(name, "date", got["date"] == truth["date"][:10])
    if truth.get("author"):
        scores.add(name, "author", same_author(truth["author"], got["author"]))


def score_snippets(scores: Scores, name: str, truth: dict, got: dict) -> None:
    """trafilatura's evaluation: 'with' snippets found are TP, 'without' snippets found FP."""
    norm = lambda s: re.sub(r"\s+", " ", s).strip()  # noqa: E731
    text = norm(got["body"])
    tp = sum(norm(w) in text for w in truth["with"])
    fp = sum(norm(w) in text for w in truth["without"])
    for key, value in (("tp", tp), ("fp", fp), ("fn", len(truth["with"]) - tp)):
        scores.values[name][key].append(value)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / len(truth["with"]) if truth["with"] else 1.0
    scores.add(name, "f1", 2 * p * r / (p + r) if tp else 0.0)


def gunzip(raw: bytes) -> bytes:
    return gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw


def scrapinghub_pages(repo: Repo, args):
    truth = json.loads(repo.read("ground-truth.json"))
    for i, (key, item) in enumerate(sorted(truth.items())):
        if args.limit and i >= args.limit:
            break
        yield key, gunzip(repo.read(f"html/{key}.html.gz")), item["url"], {"body": item["articleBody"]}


def wcxb_pages(repo: Repo, args):
    meta = json.loads(repo.read("metadata.json"))["files"]
    split = args.wcxb_split
    names = sorted(n for n in repo.names() if n.startswith(f"{split}/ground-truth/"))
    n = 0
    for name in names:
        fid = Path(name).stem
        if args.wcxb_types != "all" and meta.get(fid, {}).get("page_type") != args.wcxb_types:
            continue
        if args.limit and n >= args.limit:
            break
        n += 1
        gt = json.loads(repo.read(name))
        t = gt["ground_truth"]
        yield (
            fid,
            gunzip(repo.read(f"{split}/html/{fid}.html.gz")),
            gt.get("url", ""),
            {
                "body": t.get("main_content") or "",
                "title": t.get("title") or "",
                "date": t.get("publish_date") or "",
                "author": t.get("author") or "",
            },
        )


def trafilatura_pages(repo: Repo, args):
    data = json.loads(repo.read("tests/evaldata.json"))
    names = repo.names()
    n = 0
    for url, item in sorted(data.items()):
        path = next(
            (f"tests/{d}/{item['file']}" for d in ("cache", "eval") if f"tests/{d}/{item['file']}" in names), None
        )
        if path is None:
            continue
        if args.limit and n >= args.limit:
            break
        n += 1
        yield item["file"], gunzip(repo.read(path)), url, item


def htmldate_pages(repo: Repo, args):
    names = repo.names()
    n = 0
    for js in ("tests/eval_default.json", "tests/eval_mediacloud_2020.json"):
        for url, item in sorted(json.loads(repo.read(js)).items()):
            date = item.get("date")
            if not isinstance(date, str) or not date:
                continue
            path = next(
                (
                    f"tests/{d}/{item['file']}"
                    for d in ("test_set", "cache", "eval")
                    if f"tests/{d}/{item['file']}" in names
                ),
                None,
            )
            if path is None:
                continue
            if args.limit and n >= args.limit:
                return
            n += 1
            yield item["file"], gunzip(repo.read(path)), url, {"date": date}


def vn_pages(root: Path, args):
    import yaml

    for i, path in enumerate(sorted(root.rglob("*.yaml"))):
        if args.limit and i >= args.limit:
            break
        truth = yaml.safe_load(path.read_text(encoding="utf-8"))
        html = path.with_name(path.stem + ".html.gz")
        yield (
            f"{path.parent.name}/{path.stem}",
            gzip.decompress(html.read_bytes()),
            truth["url"],
            {
                "body": "\n".join(truth["body"]),
                "title": truth["title"],
                "date": truth["date"],
                "author": truth.get("author") or "",
            },
        )


def real_fixtures_dir() -> Path:
    """CDS_REAL_FIXTURES (another set of pages), else the committed tests/fixtures/real."""
    return Path(os.environ.get("CDS_REAL_FIXTURES") or ROOT / "tests" / "fixtures" / "real")


SUITES = {
    "scrapinghub": ("scrapinghub/article-extraction-benchmark", scrapinghub_pages, score_body),
    "wcxb": ("Murrough-Foley/web-content-extraction-benchmark", wcxb_pages, score_body),
    "trafilatura": ("adbar/trafilatura", trafilatura_pages, score_snippets),
    "htmldate": ("adbar/htmldate", htmldate_pages, score_body),
    "vn": (None, vn_pages, score_body),
}


def report(title: str, scores: Scores, snippets: bool, worst: int) -> None:
    print(f"\n{title}: {scores.pages} pages")
    print(f"  {'metric':28} {'ours':>8} {'trafilatura':>12}   n")
    rows = [
        ("body F1", "f1"),
        ("body precision", "p"),
        ("body recall", "r"),
        ("title accuracy", "title"),
        ("date accuracy (day)", "date"),
        ("author accuracy", "author"),
    ]
    if snippets:
        rows = [("body F1 (per page)", "f1")]
        for name in RUNNERS:
            tp, fp, fn = (sum(scores.values[name][k]) for k in ("tp", "fp", "fn"))
            p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
            scores.values[name]["P"] = [p]
            scores.values[name]["R"] = [r]
            scores.values[name]["F"] = [2 * p * r / (p + r) if p + r else 0.0]
        rows = [("snippet F1 (trafilatura's)", "F"), ("snippet precision", "P"), ("snippet recall", "R")] + rows
    for label, key in rows:
        if scores.count(key):
            n = scores.count(key) if key not in "PRF" else scores.pages
            print(f"  {label:28} {scores.mean('ours', key):>8} {scores.mean('trafilatura', key):>12}   {n}")
    pages = max(scores.pages, 1)
    print(
        f"  {'time per page (ms)':28} {1000 * scores.seconds['ours'] / pages:>8.1f} "
        f"{1000 * scores.seconds['trafilatura'] / pages:>12.1f}"
    )
    if worst and scores.worst:
        print("  pages where ours trails trafilatura most (F1 difference, our F1):")
        for diff, f, pid in sorted(scores.worst)[:worst]:
            if diff < 0:
                print(f"    {diff:+.3f} {f:.3f} {pid}")


def main(argv=None) -> dict[str, Scores]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--suite", default="all", choices=["all", *SUITES])
    ap.add_argument("--data", default=os.environ.get("CDS_BENCH_DATA", DEFAULT_DATA))
    ap.add_argument("--limit", type=int, default=0, help="at most N pages per suite (0: all)")
    ap.add_argument("--wcxb-types", default="article", help="WCXB page type, or 'all'")
    ap.add_argument(
        "--wcxb-split",
        default="test",
        choices=["test", "dev"],
        help="WCXB split (the rules were checked on pages of 'test'; 'dev' is unseen)",
    )
    ap.add_argument("--worst", type=int, default=0, help="list the N pages where ours trails most")
    args = ap.parse_args(argv)
    data = Path(args.data)
    results = {}
    for name, (repo_name, pages, scorer) in SUITES.items():
        if args.suite not in ("all", name):
            continue
        scores = Scores()
        if repo_name is None:
            root = real_fixtures_dir()
            if not any(root.rglob("*.html.gz")):
                print(f"\nvn: no real fixtures under {root} (set CDS_REAL_FIXTURES)")
                continue
            run_pages(pages(root, args), scorer, scores)
            title = f"Real Vietnamese pages ({root})"
        else:
            repo = open_repo(data, repo_name)
            if repo is None:
                continue
            run_pages(pages(repo, args), scorer, scores)
            title = f"{name}: {repo_name}@{repo.commit()}"
        report(title, scores, name == "trafilatura", args.worst)
        results[name] = scores
    return results


if __name__ == "__main__":
    main()
