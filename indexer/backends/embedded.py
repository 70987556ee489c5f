"""The default backend: a tantivy index under ``<DATA_DIR>/index/``, no server to run.

Concurrency model: one writer process (the crawler) and any number of readers (the UI).
tantivy allows a single IndexWriter per index (a lock file); readers open the same directory
and see a writer's work once it commits. Readers check ``meta.json`` before each search and
reload when it changed, so the UI shows a crawl's articles seconds after each commit without
polling threads. The writer is opened lazily on the first write, so a read-only UI never
takes the lock away from the crawler.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import tantivy
from tantivy import Order, Query

from indexer.article import Article
from indexer.backends.base import BackendError, IndexingError, SearchBackend
from indexer.backends.highlight import make_hit
from indexer.backends.query_text import ParsedText, parse_text
from indexer.backends.tantivy_query import QueryBuilder
from indexer.backends.tantivy_schema import (
    FACET_FIELDS,
    SCHEMA_VERSION,
    build_schema,
    document,
    from_document,
    prepare,
    register_analyzers,
)
from indexer.lexicon import Lexicon, lexicon_from_settings, load_lexicon
from indexer.normalize import canonical_lines
from indexer.query import FACETS, Hit, SearchQuery, SearchResult

log = logging.getLogger(__name__)
SNIPPET_CHARS = 260
PREPARE_CHUNK = 250  # articles per task of the preparing pool
EXPORT_PAGE = 500
FACET_SIZE = 100
VERSION_FILE = "cds-schema-version"


def prepare_chunk(articles: list[Article]) -> list[tuple[str, dict | None, str | None]]:
    """(id, fields, error) per article; runs in the pool's processes too (hence module level)."""
    out = []
    for article in articles:
        aid = getattr(article, "id", repr(article)[:60])
        try:
            out.append((aid, prepare(article), None))
        except Exception as e:
            out.append((aid, None, f"{type(e).__name__}: {e}"))
    return out


def schema_mismatch_message(path: Path, found: str) -> str:
    """How to rebuild: the WARC archive holds every fetched page, so nothing is fetched again."""
    return (
        f"the index at {path} has schema version {found}, this code needs {SCHEMA_VERSION}: "
        f"delete that folder (rm -r {path}) and rebuild it from the crawl archive: run "
        f"`scrapy reextract` in the project folder with the same CDS_DATA_DIR (it re-reads "
        f"{path.parent / 'warc'} and fetches nothing; with no archive there, crawl again: "
        f"`scrapy crawlall`)"
    )


class EmbeddedBackend(SearchBackend):
    def __init__(
        self,
        path: str | Path,
        *,
        lexicon: Lexicon | None = None,
        writer_heap: int = 256_000_000,
        writer_threads: int = 0,
        parallel_from: int = 512,
    ) -> None:
        self.path = Path(path)
        self.lexicon = lexicon
        self._writer_heap, self._writer_threads = writer_heap, writer_threads
        self.parallel_from = parallel_from
        self._pool: ProcessPoolExecutor | None = None
        self._writer: tantivy.IndexWriter | None = None
        self._lock = threading.RLock()
        self._meta_mtime = 0.0
        self._index = self._open()
        self.schema = self._index.schema
        self.builder = QueryBuilder(self.schema)

    @classmethod
    def from_settings(cls, settings) -> EmbeddedBackend:
        return cls(Path(settings.DATA_DIR) / "index", lexicon=lexicon_from_settings(settings))

    # -- opening -----------------------------------------------------------------------------
    def _open(self) -> tantivy.Index:
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            version_file = self.path / VERSION_FILE
            if tantivy.Index.exists(str(self.path)):
                found = version_file.read_text().strip() if version_file.exists() else "?"
                if found != str(SCHEMA_VERSION):
                    raise BackendError(schema_mismatch_message(self.path, found))
                index = tantivy.Index.open(str(self.path))
            else:
                index = tantivy.Index(build_schema(), path=str(self.path), reuse=False)
                version_file.write_text(str(SCHEMA_VERSION))
        except (OSError, ValueError) as e:
            raise BackendError(f"cannot open the search index at {self.path}: {e}") from e
        register_analyzers(index)  # tantivy forgets custom analyzers on every open
        return index

    def _searcher(self) -> tantivy.Searcher:
        """A searcher that includes every commit so far, from this process or the crawler's."""
        try:
            mtime = os.stat(self.path / "meta.json").st_mtime
        except OSError:
            mtime = 0.0
        if mtime != self._meta_mtime:
            self._index.reload()
            self._meta_mtime = mtime
        return self._index.searcher()

    def _get_writer(self) -> tantivy.IndexWriter:
        if self._writer is None:
            try:
                self._writer = self._index.writer(self._writer_heap, self._writer_threads)
            except ValueError as e:
                raise BackendError(
                    f"the index at {self.path} is being written by another process "
                    f"(is a crawl running?); try again when it ends ({e})"
                ) from e
        return self._writer

    # -- writes ------------------------------------------------------------------------------
    def index(self, articles: Iterable[Article]) -> int:
        articles = list(articles)
        written, failed = 0, {}
        with self._lock:
            writer = self._get_writer()
            for aid, fields, error in self._prepared(articles):
                if error is None:
                    try:
                        doc = document(fields)
                        writer.delete_documents_by_term("id", aid)
                        writer.add_document(doc)
                        written += 1
                        continue
                    except Exception as e:
                        error = f"{type(e).__name__}: {e}"
                failed[aid] = error  # one bad article must not lose the rest of the batch
        if failed:
            raise IndexingError(f"{len(failed)} article(s) not indexed", failed=failed, written=written)
        return written

    def _prepared(self, articles: list[Article]) -> Iterator[tuple[str, dict | None, str | None]]:
        """(id, fields, error) per article, in order. A big batch (a re-extract, a bulk load) is
        prepared by a pool of processes, one per core: preparing is pure Python and holds the
        GIL, while tantivy's writer threads index what they get without it."""
        if len(articles) < self.parallel_from or (os.cpu_count() or 1) < 2:
            yield from prepare_chunk(articles)
            return
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=os.cpu_count(), mp_context=get_context("spawn"))
        chunks = [articles[i : i + PREPARE_CHUNK] for i in range(0, len(articles), PREPARE_CHUNK)]
        for out in self._pool.map(prepare_chunk, chunks):
            yield from out

    def commit(self) -> None:
        with self._lock:
            if self._writer is None:
                return
            try:
                self._writer.commit()
            except ValueError as e:
                raise BackendError(f"commit failed for the index at {self.path}: {e}") from e
            self._index.reload()

    def delete(self, article_ids: Iterable[str]) -> None:
        with self._lock:
            writer = self._get_writer()
            for aid in article_ids:
                writer.delete_documents_by_term("id", aid)

    def clear(self) -> None:
        with self._lock:
            self._get_writer().delete_all_documents()
            self.commit()

    def close(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown()
                self._pool = None
            if self._writer is not None:
                writer, self._writer = self._writer, None
                try:
                    writer.commit()
                    writer.wait_merging_threads()
                except ValueError as e:  # tantivy's IO errors (disk full...): what was committed stays
                    raise BackendError(f"closing the index at {self.path} failed: {e}") from e

    # -- reads -------------------------------------------------------------------------------
    def get(self, article_id: str) -> Article | None:
        searcher = self._searcher()
        hits = searcher.search(Query.term_query(self.schema, "id", article_id), 1).hits
        return from_document(searcher.doc(hits[0][1])) if hits else None

    def count(self) -> int:
        return self._searcher().num_docs

    def iter_articles(self) -> Iterable[Article]:
        searcher = self._searcher()
        n = searcher.num_docs
        if n:
            for _, addr in searcher.search(Query.all_query(), n, count=False).hits:
                yield from_document(searcher.doc(addr))

    def export_hits(self, query: SearchQuery, limit: int | None = None) -> Iterator[Hit]:
        """Every hit in the search's order (up to ``limit``), for exports: pages of the engine's
        hits on one searcher (one consistent snapshot), without the facet counts a page of
        :meth:`search` would compute again each time."""
        parsed = parse_text(query.text, self.lexicon or load_lexicon())
        b, searcher = self.builder, self._searcher()
        main = b.combine(b.text_query(parsed), b.base_filters(query) + list(b.facet_filters(query).values()))
        sort = query.effective_sort
        kwargs = (
            {}
            if sort == "relevance"
            else {"order_by_field": "published_ts", "order": Order.Desc if sort == "newest" else Order.Asc}
        )
        offset, sent = 0, 0
        while True:
            try:
                found = searcher.search(main, EXPORT_PAGE, count=False, offset=offset, **kwargs)
            except ValueError as e:
                raise BackendError(f"the search engine could not run this query: {e}") from e
            for hit in self._hits(searcher, found.hits, parsed, sort == "relevance"):
                yield hit
                sent += 1
                if limit is not None and sent >= limit:
                    return
            if len(found.hits) < EXPORT_PAGE:
                return
            offset += EXPORT_PAGE

    def run(self, query: SearchQuery, parsed: ParsedText) -> SearchResult:
        started = time.perf_counter()
        b = self.builder
        required = b.required_query(parsed)
        text_q = b.text_query(parsed, required)
        base = b.base_filters(query)
        facet_filters = b.facet_filters(query)
        searcher = self._searcher()
        main = b.combine(text_q, base + list(facet_filters.values()))
        try:
            sort = query.effective_sort
            kwargs = (
                {}
                if sort == "relevance"
                else {"order_by_field": "published_ts", "order": Order.Desc if sort == "newest" else Order.Asc}
            )
            found = searcher.search(main, query.per_page, count=True, offset=query.offset, **kwargs)
            facets = self._facets(searcher, required, base, facet_filters, query)
        except ValueError as e:  # tantivy reports every engine failure as ValueError
            raise BackendError(f"the search engine could not run this query: {e}") from e
        hits = self._hits(searcher, found.hits, parsed, sort == "relevance")
        return SearchResult(
            total=found.count or 0, hits=hits, facets=facets, took_ms=round((time.perf_counter() - started) * 1000, 2)
        )

    def _facets(self, searcher, required, base, facet_filters, query) -> dict[str, list[tuple[str, int]]]:
        """Facet counts, disjunctive: each facet counted under every selected facet but its own.

        One aggregation pass over the text and base filters, the facets grouped under ``filter``
        aggregations by the selections that apply to them; counts need no score, so the text
        query is matched without its ranking boosts (the same documents, far fewer phrase
        lookups). Before this, each group was its own pass of the fully scored query.
        """
        groups: dict[tuple[str, ...], list[str]] = {}
        for facet in FACETS:
            others = tuple(f for f in facet_filters if f != facet)
            groups.setdefault(others, []).append(facet)

        def terms(facets):
            return {f: {"terms": {"field": FACET_FIELDS[f], "size": FACET_SIZE}} for f in facets}

        filters = {others: self.builder.filter_string(query, others) for others in groups if others}
        found: dict[str, dict] = {}
        if all(f is not None for f in filters.values()):
            aggs: dict[str, dict] = {}
            for i, (others, facets) in enumerate(groups.items()):
                if others:
                    aggs[f"_group{i}"] = {"filter": filters[others], "aggs": terms(facets)}
                else:
                    aggs.update(terms(facets))
            res = searcher.aggregate(self.builder.combine(required, base), aggs)
            for i, (others, facets) in enumerate(groups.items()):
                part = res.get(f"_group{i}", {}) if others else res
                found.update({f: part.get(f, {}) for f in facets})
        else:  # a value the query language could misread: one pass per group
            for others, facets in groups.items():
                q = self.builder.combine(required, base + [facet_filters[f] for f in others])
                res = searcher.aggregate(q, terms(facets))
                found.update({f: res.get(f, {}) for f in facets})
        out: dict[str, list[tuple[str, int]]] = {}
        for f, res in found.items():
            buckets = [
                (str(int(b["key"])) if isinstance(b["key"], float) else str(b["key"]), int(b["doc_count"]))
                for b in res.get("buckets", [])
            ]
            seen = {v for v, _ in buckets}
            # A ticked value stays visible (with 0) so the user can untick it.
            buckets += [(canonical_lines(v), 0) for v in query.filters.get(f, []) if canonical_lines(v) not in seen]
            out[f] = sorted(buckets, key=lambda vc: (-vc[1], vc[0]))
        return out

    @staticmethod
    def _hits(searcher, raw_hits, parsed, by_score: bool) -> list[Hit]:
        return [
            make_hit(from_document(searcher.doc(addr)), float(score) if by_score else 0.0, parsed, SNIPPET_CHARS)
            for score, addr in raw_hits
        ]
