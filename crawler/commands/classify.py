"""``scrapy classify URL...``: what the crawler makes of each URL, and why.

    CDS_SOURCES_FILE=config/sources.yaml scrapy classify https://vnexpress.net/...-4954454.html

One JSON line per URL: ``{"url", "source", "kind", "rule"}``, kind one of article, listing, feed,
sitemap, other (a link the crawl ignores), excluded (never fetched: off every source's domains,
or a crawler trap). The answer is crawler.url_rules' — the spider's own — for the source the URL
belongs to (``--source`` to pick one). Nothing is fetched, so robots.txt is not consulted.
Operators use it to answer "why was this page not crawled?"; the tests run it on every evidence
URL of the sources file.
"""

from __future__ import annotations

import json
import sys

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.commands._common import ProjectCommand, configured_sources
from crawler.middlewares.traps import TrapFilterMiddleware
from crawler.url_rules import UrlRules, classify


def rules_for(sources, settings) -> list[UrlRules]:
    traps = TrapFilterMiddleware.from_settings(settings) if settings.getbool("TRAP_FILTER_ENABLED") else None
    return [UrlRules(s, traps) for s in sources]


class Command(ProjectCommand, ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def syntax(self) -> str:
        return "[--source NAME] URL [URL ...]   (URLs also read from stdin with -)"

    def short_desc(self) -> str:
        return "Say what the crawler makes of each URL (article/listing/feed/sitemap/other/excluded) and why"

    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument("--source", default="", help="classify against this source only")

    def run(self, args, opts) -> None:
        if not args:
            raise UsageError("give at least one URL (or - to read URLs from stdin)")
        urls = [u for a in args for u in (sys.stdin.read().split() if a == "-" else [a])]
        sources, _ = configured_sources(self.settings)
        if opts.source:
            sources = [s for s in sources if s.name == opts.source]
            if not sources:
                raise UsageError(f"no valid source named {opts.source!r} in {self.settings.get('CDS_SOURCES_FILE')}")
        rules = rules_for(sources, self.settings)
        for url in urls:
            verdict = rules[0].classify(url) if opts.source else classify(url, rules)
            line = {"url": url, "source": verdict.source or None, "kind": verdict.kind, "rule": verdict.rule}
            if verdict.url and verdict.url != url:
                line["requested_as"] = verdict.url  # session id stripped, as the crawl would
            print(json.dumps(line, ensure_ascii=False))
