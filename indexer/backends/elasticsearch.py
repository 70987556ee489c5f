"""Production backend: Elasticsearch 9 through the official client (its major), stock analyzers only.

The index is ``<ES_INDEX>-v<MAPPING_VERSION>`` behind the alias ``ES_INDEX``: a mapping change
builds the next version, fills it, and swaps the alias atomically (:meth:`upgrade`, run by
``python -m indexer.backends upgrade-es``), so the UI never searches a half-built index. Until
then the backend refuses to write into the older version (:mod:`es_versions` decides), but
still searches it, so the UI stays up through an upgrade. Every request body comes from
:mod:`es_bodies` (pure functions, pinned by golden tests). Every failure — cluster down,
rejected documents — becomes a :class:`BackendError` naming the cluster; rejected articles are
listed in :class:`IndexingError` so the crawler can retry them (news-please silently dropped them).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from elasticsearch import ApiError, Elasticsearch, NotFoundError, TransportError
from elasticsearch.helpers import BulkIndexError, scan, streaming_bulk

from config.redaction import redact, redact_url
from indexer.article import Article
from indexer.backends.base import BackendError, IndexingError, SearchBackend
from indexer.backends.es_bodies import (
    EXPORT_PAGE,
    MAPPING_VERSION,
    MATCH_ALL,
    PIT_KEEP_ALIVE,
    SNIPPET_CHARS,
    alias_swap_actions,
    build_export_body,
    build_search_body,
    create_index_body,
    delete_action,
    index_action,
    index_settings,
)
from indexer.backends.es_versions import CREATE, REFUSE, UPGRADE, AliasPlan, alias_plan
from indexer.backends.highlight import make_hit
from indexer.backends.query_text import ParsedText, parse_text
from indexer.lexicon import Lexicon, lexicon_from_settings, load_lexicon
from indexer.normalize import canonical_lines
from indexer.query import FACETS, Hit, SearchQuery, SearchResult

log = logging.getLogger(__name__)


class _OneLineRetries(logging.Filter):
    """elastic_transport logs every retry as a WARNING with the whole traceback of the connection
    error: the operator needs the one line (what failed, which attempt), not three tracebacks per
    request while a cluster is down."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            record.msg = redact(f"{record.getMessage()}: {type(record.exc_info[1]).__name__}: {record.exc_info[1]}")
            record.args, record.exc_info, record.exc_text = None, None, None
        return True


logging.getLogger("elastic_transport.transport").addFilter(_OneLineRetries())


class ElasticsearchBackend(SearchBackend):
    def __init__(
        self,
        url: str,
        alias: str = "cds-articles",
        *,
        api_key: str = "",
        lexicon: Lexicon | None = None,
        request_timeout: float = 10.0,
        max_retries: int = 2,
        bulk_chunk: int = 500,
    ) -> None:
        if not url:
            raise BackendError("backend 'elasticsearch' needs ES_URL (CDS_ES_URL), e.g. http://localhost:9200")
        # self.url is for messages: the password of http://user:pass@host never reaches one
        self.url, self.alias, self.bulk_chunk = redact_url(url), alias, bulk_chunk
        self.lexicon = lexicon
        self._client = Elasticsearch(
            url,
            api_key=api_key or None,
            request_timeout=request_timeout,
            max_retries=max_retries,
            retry_on_timeout=True,
        )
        self._ready = False

    @classmethod
    def from_settings(cls, settings) -> ElasticsearchBackend:
        return cls(
            settings.ES_URL, settings.ES_INDEX, api_key=settings.ES_API_KEY, lexicon=lexicon_from_settings(settings)
        )

    @property
    def versioned_index(self) -> str:
        return f"{self.alias}-v{MAPPING_VERSION}"

    def _call(self, what: str, fn: Callable[..., Any], *args, **kwargs) -> Any:
        """Run one client call; transport and API failures become BackendError with context."""
        try:
            return fn(*args, **kwargs)
        except NotFoundError:
            raise
        except TransportError as e:  # connection refused, timeout, TLS
            raise BackendError(f"Elasticsearch at {self.url} is unreachable ({what}): {e}") from e
        except ApiError as e:
            raise BackendError(f"Elasticsearch at {self.url} refused {what}: {e.meta.status} {e.message}") from e

    # -- index lifecycle -----------------------------------------------------------------------
    def version_plan(self) -> AliasPlan:
        """What the alias serves now, as :func:`es_versions.alias_plan` judges it (two cluster calls)."""
        try:
            behind = list(self._call("alias lookup", self._client.indices.get_alias, name=self.alias))
        except NotFoundError:
            behind = None
        concrete = behind is None and bool(self._call("index check", self._client.indices.exists, index=self.alias))
        return alias_plan(self.alias, behind, concrete, MAPPING_VERSION)

    def ensure_index(self) -> None:
        """Create ``<alias>-v<N>`` behind the alias if there is none; refuse an older or foreign one."""
        if self._ready:
            return
        plan = self.version_plan()
        if plan.action in (UPGRADE, REFUSE):
            raise BackendError(f"Elasticsearch at {self.url}: {plan.message}")
        if plan.action == CREATE:
            self._create_versioned()
        self._ready = True

    def _create_versioned(self) -> None:
        body = create_index_body(self.alias)
        try:
            self._call("index creation", self._client.indices.create, index=self.versioned_index, body=body)
        except BackendError as e:
            if "resource_already_exists" not in str(e):
                raise
            # Another process created it with the alias (fine), or an index is left without it.
            if not self._call("alias check", self._client.indices.exists_alias, name=self.alias):
                raise BackendError(
                    f"Elasticsearch at {self.url}: {self.versioned_index} exists but the alias "
                    f"{self.alias} does not point at it (an interrupted upgrade?): delete "
                    f"that index, or add the alias to it"
                ) from e

    def upgrade(self, progress: Callable[[int, int], None] | None = None) -> dict:
        """Copy the articles behind the alias into ``<alias>-v<N>``, then swap the alias to it.

        The old index is kept (a way back) and named in the result. An interrupted upgrade is
        resumed: the ``-v<N>`` it left was never searched (the alias still points at the old
        index, which refuses writes meanwhile), so what it holds is kept and only the missing
        articles are copied. ``progress(done, total)`` is told every 500 articles and at the end.
        """
        plan = self.version_plan()
        result = {"index": self.versioned_index, "previous": [], "copied": 0, "resumed": 0, "action": plan.action}
        if plan.action == REFUSE:
            raise BackendError(f"Elasticsearch at {self.url}: {plan.message}")
        if plan.action == CREATE:
            self.ensure_index()
        if plan.action != UPGRADE:
            return result
        previous = sorted(self._call("alias lookup", self._client.indices.get_alias, name=self.alias))
        there: set[str] = set()
        if self._call("index check", self._client.indices.exists, index=self.versioned_index):
            there = self._ids(self.versioned_index)
            log.warning("resuming the upgrade into %s: %d article(s) already there", self.versioned_index, len(there))
        else:
            self._call("index creation", self._client.indices.create, index=self.versioned_index, body=index_settings())
        total = self.count()

        def missing():
            sent = len(there)
            for article in self.iter_articles():
                if article.id not in there:
                    yield article
                    sent += 1
                    if progress and sent % 500 == 0:
                        progress(sent, total)

        result["copied"], result["resumed"] = self._write(missing(), self.versioned_index), len(there)
        if progress:
            progress(result["copied"] + len(there), total)
        self._call("refresh", self._client.indices.refresh, index=self.versioned_index)
        actions = alias_swap_actions(self.alias, previous, self.versioned_index)
        self._call("alias swap", self._client.indices.update_aliases, actions=actions)
        self._ready = True
        result["previous"] = previous
        return result

    def _ids(self, index: str) -> set[str]:
        """The document ids of ``index`` (no sources): what a resumed upgrade need not copy again."""
        try:
            return {
                h["_id"] for h in scan(self._client, index=index, query={"query": MATCH_ALL}, _source=False, size=1000)
            }
        except TransportError as e:
            raise BackendError(f"Elasticsearch at {self.url} is unreachable (listing {index}): {e}") from e
        except ApiError as e:
            raise BackendError(f"Elasticsearch at {self.url} refused listing {index}: {e}") from e

    def status(self) -> dict:
        """Cluster health, the alias, the indices behind it with their counts and mapping versions
        (:mod:`es_status`; read-only)."""
        from indexer.backends.es_status import collect

        return collect(self._client, self.alias, MAPPING_VERSION, self._call)

    def drop_index(self) -> None:
        """Delete the concrete indices behind the alias (tests, full rebuilds)."""
        try:
            names = list(self._call("alias lookup", self._client.indices.get_alias, name=self.alias))
        except NotFoundError:
            return
        self._call("index deletion", self._client.indices.delete, index=",".join(names))
        self._ready = False

    # -- writes --------------------------------------------------------------------------------
    def _bulk(self, actions: Iterable[dict], what: str, ignore_status: tuple[int, ...] = ()) -> tuple[int, dict]:
        """Stream actions; returns (ok, {id: reason}) with EVERY unacknowledged id in the second.

        The client helper reports rejected documents itself, but a dropped connection raises
        mid-stream: then whatever was sent without an answer, and whatever was not sent yet,
        is reported failed so the caller can retry it.
        """
        ok, failed, pending = 0, {}, {}
        source = iter(actions)

        def tracked():
            for action in source:
                pending[action["_id"]] = None
                yield action

        try:
            for success, item in streaming_bulk(
                self._client,
                tracked(),
                chunk_size=self.bulk_chunk,
                max_retries=3,
                initial_backoff=1,
                raise_on_error=False,
                raise_on_exception=False,
                ignore_status=ignore_status,
            ):
                op = next(iter(item.values()))
                pending.pop(op.get("_id"), None)
                if success:
                    ok += 1
                else:
                    failed[str(op.get("_id"))] = str(op.get("error") or op.get("exception") or op)[:500]
        except (TransportError, BulkIndexError) as e:
            reason = f"Elasticsearch at {self.url} is unreachable ({what}): {e}"
            failed.update({i: reason for i in pending})
            failed.update({a["_id"]: reason for a in source})
        return ok, failed

    def index(self, articles: Iterable[Article]) -> int:
        self.ensure_index()
        return self._write(articles, self.alias)

    def _write(self, articles: Iterable[Article], target: str) -> int:
        failed: dict[str, str] = {}

        def actions():
            for a in articles:
                try:
                    yield index_action(target, a)
                except Exception as e:  # a malformed Article must not sink the batch
                    failed[getattr(a, "id", repr(a)[:60])] = f"{type(e).__name__}: {e}"

        written, bulk_failed = self._bulk(actions(), "indexing")
        failed.update(bulk_failed)
        if failed:
            raise IndexingError(
                f"Elasticsearch at {self.url}: {len(failed)} article(s) not indexed", failed=failed, written=written
            )
        return written

    def commit(self) -> None:
        self.ensure_index()
        self._call("refresh", self._client.indices.refresh, index=self.alias)

    def delete(self, article_ids: Iterable[str]) -> None:
        self.ensure_index()
        actions = (delete_action(self.alias, i) for i in article_ids)
        _, failed = self._bulk(actions, "deletion", ignore_status=(404,))
        if failed:
            raise IndexingError("some deletions failed", failed=failed)

    def clear(self) -> None:
        self.ensure_index()
        self._call(
            "delete_by_query",
            self._client.delete_by_query,
            index=self.alias,
            query=MATCH_ALL,
            refresh=True,
            conflicts="proceed",
        )

    def close(self) -> None:
        self._client.close()

    # -- reads ---------------------------------------------------------------------------------
    def get(self, article_id: str) -> Article | None:
        try:
            doc = self._call("get", self._client.get, index=self.alias, id=article_id, source_includes=["article"])
        except NotFoundError:
            return None
        return Article.from_dict(doc["_source"]["article"])

    def count(self) -> int:
        try:
            return int(self._call("count", self._client.count, index=self.alias)["count"])
        except NotFoundError:
            return 0

    def iter_articles(self) -> Iterable[Article]:
        try:
            for doc in scan(self._client, index=self.alias, query={"query": MATCH_ALL}, _source=["article"], size=500):
                yield Article.from_dict(doc["_source"]["article"])
        except NotFoundError:
            return
        except TransportError as e:
            raise BackendError(f"Elasticsearch at {self.url} is unreachable (listing articles): {e}") from e
        except ApiError as e:
            raise BackendError(f"Elasticsearch at {self.url} refused listing articles: {e}") from e

    def export_hits(self, query: SearchQuery, limit: int | None = None) -> Iterator[Hit]:
        """Every hit in the search's order, past index.max_result_window: a point in time and
        search_after, EXPORT_PAGE hits a request; the point in time is closed at the end, or
        when the reader stops early (a cut export, a client gone)."""
        parsed = parse_text(query.text, self.lexicon or load_lexicon())
        by_score = query.effective_sort == "relevance"
        try:
            pit = self._call(
                "opening a point in time", self._client.open_point_in_time, index=self.alias, keep_alive=PIT_KEEP_ALIVE
            )["id"]
        except NotFoundError:  # nothing indexed yet
            return
        sent, after = 0, None
        try:
            while True:
                body = build_export_body(query, pit, after, parsed=parsed)
                res = self._call("an export page", self._client.search, body=body)
                pit = res.get("pit_id", pit)
                page = res["hits"]["hits"]
                for h in page:
                    yield make_hit(
                        Article.from_dict(h["_source"]["article"]),
                        float(h.get("_score") or 0.0) if by_score else 0.0,
                        parsed,
                        SNIPPET_CHARS,
                    )
                    sent += 1
                    if limit is not None and sent >= limit:
                        return
                if len(page) < EXPORT_PAGE:
                    return
                after = page[-1]["sort"]
        finally:
            try:
                self._client.close_point_in_time(id=pit)
            except (ApiError, TransportError) as e:  # it expires by itself after PIT_KEEP_ALIVE
                log.warning("could not close the export's point in time at %s: %s", self.url, e)

    def run(self, query: SearchQuery, parsed: ParsedText) -> SearchResult:
        started = time.perf_counter()
        body = build_search_body(query, parsed=parsed)
        try:
            res = self._call("search", self._client.search, index=self.alias, body=body)
        except NotFoundError:  # nothing indexed yet
            res = {"hits": {"total": {"value": 0}, "hits": []}, "aggregations": {}}
        return parse_search_response(res, query, parsed, started)


def parse_search_response(res: dict, query: SearchQuery, parsed: ParsedText, started: float) -> SearchResult:
    """Response JSON -> SearchResult with the same shape and fallbacks as the embedded engine."""
    by_score = query.effective_sort == "relevance"
    hits = [
        make_hit(
            Article.from_dict(h["_source"]["article"]),
            float(h.get("_score") or 0.0) if by_score else 0.0,
            parsed,
            SNIPPET_CHARS,
        )
        for h in res["hits"]["hits"]
    ]
    facets: dict[str, list[tuple[str, int]]] = {}
    aggs = res.get("aggregations", {})
    for f in FACETS:
        buckets = [
            (str(b.get("key_as_string", b["key"])), int(b["doc_count"]))
            for b in aggs.get(f, {}).get("values", {}).get("buckets", [])
        ]
        seen = {v for v, _ in buckets}
        buckets += [(canonical_lines(v), 0) for v in query.filters.get(f, []) if canonical_lines(v) not in seen]
        facets[f] = sorted(buckets, key=lambda vc: (-vc[1], vc[0]))
    total = res["hits"]["total"]
    return SearchResult(
        total=int(total["value"] if isinstance(total, dict) else total),
        hits=hits,
        facets=facets,
        took_ms=round((time.perf_counter() - started) * 1000, 2),
    )
