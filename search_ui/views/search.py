"""The journalists' pages: ``/`` (search with facets) and ``/article/<id>`` (every field).

Failures are shown in Vietnamese in the page itself: a bad parameter is a 400 with the reason,
a backend that is down is a 503 saying so. Never a traceback.
"""

from __future__ import annotations

import logging

from flask import Blueprint, abort, current_app, render_template, request, url_for

from indexer.agreements import is_signing
from indexer.backends import BackendError
from indexer.query import FACETS, QueryError, SearchQuery
from search_ui.agreement_records import records_of_article
from search_ui.article_view import other_copies, tag_chips
from search_ui.backend import get_backend
from search_ui.facet_match import resolve_with
from search_ui.page_state import active_filters, coverage, date_presets, heading
from search_ui.params import (
    clean_text,
    default_per_page,
    query_from_args,
    query_string,
    to_pairs,
    with_filter,
    with_page,
    with_text,
    without,
)
from search_ui.presenters import (
    FACET_NAMES_VI,
    FIELD_LABELS,
    KIND_LABELS,
    QUERY_SYNTAX,
    SORT_LABELS,
    article_dict,
    describe_query,
    facet_boxes,
    page_count,
    page_numbers,
    reading_paragraphs,
)
from search_ui.sources import source_titles
from search_ui.views.feed import feed_url, subscribe_url

log = logging.getLogger(__name__)
bp = Blueprint("search", __name__)

BACKEND_DOWN = (
    "Hệ thống tìm kiếm đang tạm thời không hoạt động, nên chưa thể hiển thị kết quả. Vui lòng thử lại sau ít phút."
)


@bp.get("/")
def index():
    error, status, result = None, 200, None
    try:
        q = query_from_args(request.args, per_page=current_app.config["PER_PAGE"])
    except QueryError as e:
        error, status, q = f"Tham số tìm kiếm không hợp lệ: {e}", 400, SearchQuery()
    warnings: list[dict] = []
    if error is None:
        try:
            backend = get_backend()
            q, warnings = resolve_with(backend, q, current_app.config["SETTINGS"].PARTNERS_FILE)
            result = backend.search(q)
        except BackendError as e:
            log.error("search failed: %s", e)
            error, status = BACKEND_DOWN, 503
    pages = page_count(result.total, q.per_page) if result else 1
    titles = source_titles(current_app.config["SETTINGS"].SOURCES_FILE, result.hits) if result else {}
    export_url = url_for("api.export_csv") + query_string(to_pairs(q, page=False, per_page=False))
    return render_template(
        "search/index.html",
        q=q,
        raw_text=clean_text(request.args.get("q", "")),
        result=result,
        error=error,
        facets=facet_boxes(result, q, titles) if result else [],
        pages=pages,
        page_links=[(n, with_page(q, n) if n else None) for n in page_numbers(q.page, pages)],
        prev_url=with_page(q, q.page - 1) if q.page > 1 else None,
        next_url=with_page(q, q.page + 1) if result and q.page < pages else None,
        clear_url=without(q, *FACETS, "from", "to"),
        export_url=export_url,
        feed_url=feed_url(q) if result else None,
        subscribe_url=subscribe_url(q) if result else None,
        feed_title=f"CĐS Radar: {describe_query(q, titles)}",
        per_page=q.per_page if q.per_page != default_per_page() else None,  # kept by the form
        sort_labels=SORT_LABELS,
        kind_labels=KIND_LABELS,
        has_filters=bool(q.filters or q.date_from or q.date_to),
        suggest_filters=_suggested_filters(result, q) if result else [],
        did_you_mean_url=with_text(q, result.did_you_mean) if result and result.did_you_mean else None,
        query_syntax=QUERY_SYNTAX,
        sort_options=sort_options(q),
        warnings=warnings,
        heading=heading(q, titles),
        chips=active_filters(q, titles),
        presets=date_presets(q),
        searched=bool(request.args),
        bars=coverage(result, q) if result else [],
    ), status


def sort_options(q: SearchQuery) -> list[tuple[str, str, bool]]:
    """(value, label, selected). Without words there is nothing to rank by, so the default order
    is the newest first, and the menu says so instead of offering "Liên quan nhất"."""
    if q.has_words:
        return [(k, label, q.sort == k) for k, label in SORT_LABELS.items()]
    options = [("relevance", "Mới nhất (mặc định)", q.sort == "relevance")]
    if q.sort == "newest":
        options.append(("newest", SORT_LABELS["newest"], True))
    return options + [("oldest", SORT_LABELS["oldest"], q.sort == "oldest")]


def _suggested_filters(result, q) -> list[tuple[str, str]]:
    """("Lọc theo tỉnh Thanh Hóa", url) for each province or partner the query names, unless
    that filter is already on."""
    out = []
    for d in result.detected:
        if d["value"] not in q.filters.get(d["facet"], []):
            out.append((f"Lọc theo {FACET_NAMES_VI[d['facet']]} {d['value']}", with_filter(q, d["facet"], d["value"])))
    return list(dict.fromkeys(out))


@bp.get("/article/<article_id>")
def article(article_id: str):
    try:
        art = get_backend().get(article_id)
    except BackendError as e:
        log.error("get %s failed: %s", article_id, e)
        return render_template("search/error.html", title="Không tải được bài viết", message=BACKEND_DOWN), 503
    if art is None:
        abort(404)
    fields = [(FIELD_LABELS.get(k, k), k, v) for k, v in article_dict(art).items()]
    backend = get_backend()
    try:
        agreements = records_of_article(backend, art.id) if is_signing(art) else []
    except BackendError:
        agreements = []
    return render_template(
        "search/article.html",
        article=art,
        fields=fields,
        kind_labels=KIND_LABELS,
        paragraphs=reading_paragraphs(art),
        tags=tag_chips(art),
        copies=other_copies(backend, art),
        agreements=agreements,
        back_url=_back_url(),
    )


def _back_url() -> str:
    """Back to the results the reader came from (same site only), else the search page."""
    ref = request.referrer or ""
    if ref.startswith(request.host_url) and "/article/" not in ref:
        return ref
    return url_for("search.index")
