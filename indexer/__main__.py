"""``python -m indexer``: look at what the indexer makes of one page, or of some text.

    python -m indexer extract <URL or file> [--json] [--source NAME] [--url URL] [--hint-date ISO]
    python -m indexer normalize            < lines      (prints canonical<TAB>search_key)
    python -m indexer words "CĐS Thanh Hoa -Viettel"     (how the search box reads a query)

For people debugging a source: ``extract`` runs exactly the crawler's build_article on the
page (fetched with the crawler's User-Agent, or read from a saved file) and prints every
Article field. CDS_* environment variables are read here, at the edge, and nowhere else.
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.request
from pathlib import Path

from config.settings import Settings


def _fetch(target: str, settings: Settings) -> tuple[bytes, dict[str, str], str]:
    if target.startswith(("http://", "https://")):
        req = urllib.request.Request(target, headers={"User-Agent": settings.USER_AGENT})
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.read(), dict(resp.headers.items()), resp.geturl()
    path = Path(target)
    return path.read_bytes(), {}, path.resolve().as_uri()


def _source(name: str | None, settings: Settings):
    if not name:
        return None
    from config.sources import load_sources

    variables = {"DEMO_PORT": settings.DEMO_PORT}
    errors: list = []
    for path in (settings.SOURCES_FILE, str(Path(settings.SOURCES_FILE).with_name("sources.demo.yaml"))):
        if Path(path).exists():
            for src in load_sources(path, variables, errors=errors):
                if src.name == name:
                    return src
    raise SystemExit(f"unknown source {name!r} (looked in {settings.SOURCES_FILE})")


def _print_article(article, as_json: bool) -> None:
    d = article.to_dict()
    if as_json:
        print(json.dumps(d, ensure_ascii=False, indent=2))
        return
    width = max(len(k) for k in d)
    for key, value in d.items():
        if key == "body":
            continue
        if isinstance(value, (list, dict)):
            value = json.dumps(value, ensure_ascii=False)
        print(f"{key:>{width}}: {value}")
    paragraphs = d["body"].split("\n\n") if d["body"] else []
    print(f"{'body':>{width}}: {len(paragraphs)} paragraphs, {len(d['body'])} characters")
    for i, para in enumerate(paragraphs, 1):
        print(f"  [{i}] {para}")


def cmd_extract(args, settings: Settings) -> int:
    from indexer.enrichment import load_enrichers
    from indexer.pipeline import ExtractionError, build_article

    body, headers, fetched = _fetch(args.target, settings)
    hints = {"date": args.hint_date} if args.hint_date else None
    try:
        article = build_article(
            body,
            args.url or fetched,
            headers=headers,
            source=_source(args.source, settings),
            hints=hints,
            enrichers=load_enrichers(settings),
        )
    except ExtractionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    _print_article(article, args.json)
    return 0


def cmd_normalize(args, settings: Settings) -> int:
    from indexer.normalize import canonical, search_key

    for line in sys.stdin:
        line = line.rstrip("\n")
        print(f"{canonical(line)}\t{search_key(line)}")
    return 0


def cmd_words(args, settings: Settings) -> int:
    """The query as the search reads it: its words, what each matches, what it names."""
    from indexer.backends.query_text import describe, excluded_words, parse_text
    from indexer.lexicon import lexicon_from_settings
    from indexer.suggest import correct

    lexicon = lexicon_from_settings(settings)
    parsed = parse_text(args.query, lexicon)

    def word(w):
        return {
            "word": w.typed,
            "matches": [a.text for a in w.alternatives],
            "exact": [[t.exact for t in a.terms] for a in w.alternatives],
            **({"names": {"facet": w.facet, "value": w.value}} if w.facet else {}),
            **({"or_tagged": True} if w.or_tagged else {}),
            **({"tagged": True} if w.tagged else {}),
        }

    print(
        json.dumps(
            {
                "query": describe(parsed.root),
                "words": [word(w) for w in parsed.words],
                "excluded": [word(w) for w in excluded_words(parsed.root)],
                "correction": correct(args.query, lexicon),
            },
            ensure_ascii=False,
            indent=2,
        )
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m indexer", description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("extract", help="print the Article built from a URL or a saved page")
    ex.add_argument("target", help="http(s) URL, or a file with the page's bytes")
    ex.add_argument("--json", action="store_true", help="print JSON instead of aligned fields")
    ex.add_argument("--source", help="source name from config/sources.yaml (selectors, province)")
    ex.add_argument("--url", help="the page's original URL when TARGET is a file")
    ex.add_argument("--hint-date", help="date from a sitemap/RSS/listing, ISO 8601")
    sub.add_parser("normalize", help="stdin lines -> canonical<TAB>search_key")
    wp = sub.add_parser("words", help="how the search box reads a query: words, synonyms, names")
    wp.add_argument("query")
    args = ap.parse_args(argv)
    settings = Settings.from_env()
    sys.stdout.reconfigure(encoding="utf-8")
    handler = {"extract": cmd_extract, "normalize": cmd_normalize, "words": cmd_words}[args.command]
    return handler(args, settings)


if __name__ == "__main__":
    sys.exit(main())
