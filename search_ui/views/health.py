"""``/healthz`` for operators and load balancers: 200 with the article count, 503 when the search
backend is down; with the crawl's health per source either way (crawl_health.py): last outcome,
URLs owed, articles in the index, pages that answered 5xx, "no article in N runs". Error texts are
redacted: a password in CDS_ES_URL never reaches a reply."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from config.redaction import redact
from indexer.backends import BackendError
from indexer.query import SearchQuery
from search_ui.backend import get_backend
from search_ui.crawl_health import crawl_health, worst

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    settings = current_app.config["SETTINGS"]
    name = settings.BACKEND
    sources, crawl_error = crawl_health(settings)
    crawl = {"status": worst(sources), "sources": sources}
    if crawl_error:
        crawl.update(status="UNKNOWN", error=crawl_error)
    try:
        backend = get_backend()
        count = backend.count()
        facets = backend.search(SearchQuery(per_page=1, include_duplicates=True)).facets
    except BackendError as e:
        return jsonify(status="error", backend=name, error=redact(str(e)), crawl=crawl), 503
    in_index = dict(facets.get("source", []))
    for row in sources:
        row["articles_in_index"] = in_index.get(row["source"], 0)
    return jsonify(status="ok", backend=name, articles=count, crawl=crawl)
