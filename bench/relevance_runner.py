"""One side of bench/relevance.py: index given Articles with a given source tree, run the queries.

    python bench/relevance_runner.py --tree DIR --articles A.jsonl --queries Q.json --out OUT.json

``--tree`` is put first on sys.path (this file's own folder is taken off it), so the product code
that runs is that tree's — the working tree, or a ``git worktree`` of an older revision. Only the
public interface is used: ``config.settings.Settings``, ``indexer.backends.load_backend``,
``indexer.article.Article.from_dict`` and ``indexer.query.SearchQuery``; nothing of the query
parser is looked at. Standard library only besides that tree, so any revision can run it.

Queries file: a JSON list of ``{"q": str, "follow_suggestion": bool}``. For each query every result
page is read (100 per page, off-topic and duplicate copies included); when ``follow_suggestion`` is
set and the result offers ``did_you_mean``, the suggested query is run too and its results are the
ones reported (the user clicked the suggestion). Output: JSON with, per query, ``ids`` (ranked),
``total``, ``did_you_mean``, ``followed`` and ``error`` (a search that raised returns nothing).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import traceback


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tree", help="source tree whose product code runs")
    ap.add_argument("--articles", help="Article.to_dict() as JSON lines")
    ap.add_argument("--queries", help="JSON list of {q, follow_suggestion}")
    ap.add_argument("--out")
    args = ap.parse_args()
    if not (args.tree and args.articles and args.queries and args.out):
        # `make bench` runs every bench/*.py: this one is only a part of bench/relevance.py
        print("bench/relevance_runner.py is run by bench/relevance.py (needs --tree --articles --queries --out)")
        return 0

    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]
    tree = os.path.abspath(args.tree)
    sys.path.insert(0, tree)
    os.chdir(tree)

    import indexer
    from config.settings import Settings
    from indexer.article import Article
    from indexer.backends import load_backend
    from indexer.query import SearchQuery

    with open(args.articles, encoding="utf-8") as f:
        articles = [Article.from_dict(json.loads(line)) for line in f if line.strip()]
    with open(args.queries, encoding="utf-8") as f:
        queries = json.load(f)

    def run(backend, text: str) -> tuple[list[str], int, str | None]:
        ids: list[str] = []
        page, total, suggestion = 1, 0, None
        while True:
            res = backend.search(
                SearchQuery(text=text, per_page=100, page=page, include_off_topic=True, include_duplicates=True)
            )
            if page == 1:
                total, suggestion = res.total, getattr(res, "did_you_mean", None)
            ids += [h.article.id for h in res.hits]
            if not res.hits or len(ids) >= res.total or page >= 100:
                break
            page += 1
        return list(dict.fromkeys(ids)), total, suggestion

    out: dict = {"module": os.path.dirname(indexer.__file__), "queries": []}
    with tempfile.TemporaryDirectory(prefix="cds-relevance-") as tmp:
        backend = load_backend(Settings(DATA_DIR=tmp))
        t = time.perf_counter()
        for i in range(0, len(articles), 500):
            backend.index(articles[i : i + 500])
        backend.commit()
        out["index_s"] = time.perf_counter() - t
        out["indexed"] = len(articles)
        t = time.perf_counter()
        for item in queries:
            row = {"q": item["q"], "ids": [], "total": 0, "did_you_mean": None, "followed": False, "error": None}
            try:
                ids, total, suggestion = run(backend, item["q"])
                row.update(ids=ids, total=total, did_you_mean=suggestion)
                if item.get("follow_suggestion") and suggestion and suggestion.strip() != item["q"].strip():
                    row["original_total"] = total
                    ids, total, _ = run(backend, suggestion)
                    row.update(ids=ids, total=total, followed=True)
            except Exception as exc:  # a crash is an empty answer, reported
                row["error"] = f"{type(exc).__name__}: {exc}"
                row["traceback"] = traceback.format_exc(limit=3)
            out["queries"].append(row)
        out["search_s"] = time.perf_counter() - t
        try:
            backend.close()
        except Exception:
            pass
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
