"""JSON API and CSV export: the same SearchQuery as the HTML page, from the same URL params.

Served at ``/api/v1/...`` and, unchanged, at ``/api/...`` (the same blueprint registered twice:
``api`` is v1, ``api_alias`` the old address). The OpenAPI document and its docs page are in
views/api_docs.py; the document is generated from search_ui/api_schema.py.

Parameters (repeat a facet to OR values): q, province (legacy name), province_current,
partner, year, kind, source, from, to (YYYY-MM-DD), sort (relevance|newest|oldest), page,
per_page (1–100; outside is a 400 naming the limit), duplicates=1, off_topic=1. Unknown
parameters are a 400, so a typo (``provnce=``) is not silently ignored. Facet values are matched
without case or diacritics (``partner=vnpt``); one that matches nothing comes back in
``warnings`` with the closest valid values (search_ui/facet_match.py). Every GET carries CORS
``Access-Control-Allow-Origin: *`` so browser tools can call it. ``/feed.atom`` (views/feed.py) takes the same parameters
and gives the 50 newest matches as an Atom feed.

``q`` is read as words, not syllables (see presenters.QUERY_SYNTAX_EN, also served at ``/api/``):
each word must appear as adjacent syllables; a syllable typed with diacritics matches only that
syllable, one typed without matches any; ``"phrase"``, ``-word``, ``-"phrase"``, ``A OR B`` and
brackets, ``AND`` and ``NOT`` work; malformed input is read leniently. ``detected`` lists the
provinces, partners and years the query names; ``did_you_mean`` is a correction that finds more,
when the query finds little.

Each facet value comes as ``{"value", "count", "label"}``: filter with ``value`` (a source's id,
an English kind), show ``label`` (the source's title, the kind in Vietnamese). What each facet
counts is in ``facet_descriptions``; note that ``year`` is the publication year *or* any year of
an agreement period the article states, so future years appear.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import re
from urllib.parse import unquote_plus

from flask import Blueprint, Response, current_app, jsonify, request, stream_with_context, url_for

from config.redaction import redact
from indexer.backends import BackendError
from indexer.query import MAX_PER_PAGE, QueryError
from search_ui.backend import get_backend
from search_ui.csv_cells import csv_cell
from search_ui.export_slots import limited_export
from search_ui.facet_match import resolve_with, valid_values
from search_ui.params import KNOWN, query_from_args, query_string, to_pairs, with_page
from search_ui.presenters import (
    FACET_DESCRIPTIONS,
    QUERY_SYNTAX,
    QUERY_SYNTAX_EN,
    article_dict,
    result_dict,
    value_label,
)
from search_ui.sources import source_titles

log = logging.getLogger(__name__)
bp = Blueprint("api", __name__)
PREFIX, ALIAS_PREFIX = "/api/v1", "/api"

# What a journalist reads first (issue 9): title, date, source, URL, provinces, partners, agreement
# periods; then the rest. The query is not repeated on every row: it is the file's first line, a
# comment ("# CĐS Radar — tìm kiếm: …"), with the URL that re-runs it.
CSV_COLUMNS = [
    "title",
    "published",
    "source",
    "url",
    "provinces",
    "partners",
    "periods",
    "provinces_current",
    "kind",
    "lead",
    "source_id",
    "id",
    "published_year",
    "agreement_years",
    "is_canonical",
    "on_topic",
]
ONE_LINE = re.compile(r"[\r\n\u2028\u2029\x85]+")


def error(message: str, status: int):
    return jsonify(error=message, status=status), status


@bp.errorhandler(QueryError)
def bad_query(e: QueryError):
    return error(str(e), 400)


@bp.errorhandler(BackendError)
def backend_down(e: BackendError):
    log.error("backend error: %s", e)
    return error(f"hệ thống tìm kiếm đang không hoạt động: {redact(str(e))}", 503)


def register(app) -> None:
    """v1 at /api/v1 (endpoint names ``api.*``), the same views at /api (``api_alias.*``)."""
    app.register_blueprint(bp, url_prefix=PREFIX)
    app.register_blueprint(bp, url_prefix=ALIAS_PREFIX, name="api_alias")


@bp.after_request
def cors(response):
    """Browser tools on other origins may read every GET answer (nothing here needs a cookie)."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        response.headers["Access-Control-Expose-Headers"] = "X-Total-Count, Link"
    return response


def partners_file() -> str | None:
    return getattr(current_app.config["SETTINGS"], "PARTNERS_FILE", None)


@bp.get("/")
def index():
    """What the API offers, for a program's author who starts here."""
    return jsonify(
        {
            "version": "1",
            "endpoints": {
                f"{PREFIX}/search": "search: JSON with total, hits, facets, detected, did_you_mean, warnings, links",
                f"{PREFIX}/facets": "every valid value of each facet, with counts",
                f"{PREFIX}/articles/<id>": "one article, every field",
                f"{PREFIX}/export.csv": "a search as CSV (same parameters)",
                f"{PREFIX}/agreements": "agreement records, one per signing (province, partner, period, articles)",
                f"{PREFIX}/agreements.csv": "the same as CSV",
                f"{PREFIX}/openapi.json": "this API as an OpenAPI 3.1 document",
                f"{PREFIX}/docs": "the same, as a page to read",
                "/feed.atom": "a search as an Atom feed of its 50 newest articles (same parameters)",
                f"{ALIAS_PREFIX}/...": f"the same as {PREFIX}/... (older address, kept)",
            },
            "openapi": url_for("api_docs.openapi"),
            "docs": url_for("api_docs.docs"),
            "parameters": sorted(KNOWN),
            "max_per_page": MAX_PER_PAGE,
            "query_syntax": QUERY_SYNTAX_EN,
            "query_examples": [example for example, _ in QUERY_SYNTAX],
            "facet_descriptions": dict(FACET_DESCRIPTIONS),
        }
    )


@bp.get("/search")
def search():
    q = query_from_args(request.args, strict=True, per_page=current_app.config["PER_PAGE"])
    backend = get_backend()
    q, warnings = resolve_with(backend, q, partners_file())
    result = backend.search(q)
    titles = source_titles(current_app.config["SETTINGS"].SOURCES_FILE, result.hits)
    data = result_dict(result, q, titles)
    base = request.base_url
    data["warnings"] = warnings
    data["links"] = {
        "self": base + with_page(q, q.page),
        "next": base + with_page(q, q.page + 1) if q.page < data["pages"] else None,
        "prev": base + with_page(q, min(q.page - 1, data["pages"])) if q.page > 1 else None,
    }
    return jsonify(data)


@bp.get("/facets")
def facets():
    """Every value a facet filter accepts (what the index holds, plus known provinces/partners)."""
    valid = valid_values(get_backend(), partners_file())
    titles = source_titles(current_app.config["SETTINGS"].SOURCES_FILE, [])
    return jsonify(
        {
            "facets": {
                f: [{"value": v, "count": c, "label": value_label(f, v, titles)} for v, c in vals]
                for f, vals in valid.items()
            },
            "facet_descriptions": dict(FACET_DESCRIPTIONS),
            "matching": "Values are matched without case or diacritics (partner=vnpt, province=thanh hoa); "
            "an unknown value is answered with a warnings entry naming the closest valid values.",
        }
    )


@bp.get("/articles/<article_id>")
def article(article_id: str):
    art = get_backend().get(article_id)
    if art is None:
        return error(f"không tìm thấy bài viết {article_id}", 404)
    return jsonify(article_dict(art))


@bp.get("/export.csv")
@limited_export
def export_csv():
    """Every hit of the query, up to EXPORT_MAX_ROWS (a cut file says so in its comment line and in
    X-Export-Truncated); at most EXPORT_MAX_CONCURRENT at once per process (export_slots.py)."""
    args = request.args.copy()
    args.pop("page", None)
    args.pop("per_page", None)
    q = query_from_args(args, strict=True, per_page=MAX_PER_PAGE)
    backend = get_backend()
    q, _ = resolve_with(backend, q, partners_file())
    first = backend.search(q)  # fail before the 200 starts, not mid-file
    limit = min(first.total, current_app.config["EXPORT_MAX_ROWS"])
    # Readable for the journalist, and the exact URL to re-run it, once, in the first line.
    qs = query_string(to_pairs(q, page=False, per_page=False))
    recorded, recorded_url = unquote_plus(qs[1:]) or "(tất cả bài viết)", url_for("search.index") + qs
    truncated = limit < first.total
    shown = f"{limit} bài" + (
        f" đầu trong {first.total} (mỗi lần xuất tối đa {limit} bài: lọc hẹp hơn để lấy phần còn lại)"
        if truncated
        else ""
    )
    comment = ONE_LINE.sub(
        " ",
        f"# CĐS Radar — tìm kiếm: {recorded} — {shown} — chạy lại: {recorded_url} — "
        f"xuất lúc {dt.datetime.now().strftime('%d/%m/%Y %H:%M')}",
    )

    def rows():
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(CSV_COLUMNS)
        # BOM: Excel then reads Vietnamese as UTF-8. The comment is one line whatever was typed.
        yield "\ufeff" + comment + "\n" + buf.getvalue()
        sent = 0
        try:
            # every hit in order past the engine's result window (Elasticsearch: a point in time
            # and search_after), not page after page of search() with its facets
            for h in backend.export_hits(q, limit):
                a = h.article
                d = article_dict(a)
                d.update(
                    source=a.source_label,
                    source_id=a.source,
                    published=(a.published or "")[:10],
                    periods=[f"{s}–{e}" for s, e in a.periods],
                    published_year=a.year or "",
                    agreement_years=sorted({y for s, e in a.periods for y in range(s, e + 1)}),
                )
                buf.seek(0)
                buf.truncate()
                w.writerow([csv_cell(d.get(c)) for c in CSV_COLUMNS])
                sent += 1
                yield buf.getvalue()
        except (BackendError, QueryError) as e:
            yield f"# xuất dữ liệu bị gián đoạn sau {sent} dòng: {redact(str(e))}\n"

    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M")
    return Response(
        stream_with_context(rows()),
        content_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="cds-radar-{stamp}.csv"',
            "X-Total-Count": str(first.total),
            "X-Export-Rows": str(limit),
            "X-Export-Truncated": "true" if truncated else "false",
        },
    )


def _agreement_selection(strict: bool = True):
    from search_ui.agreement_records import all_records, parse, select

    records = all_records(get_backend())
    sel = parse(request.args, records, strict=strict)
    return records, sel, select(records, sel)


@bp.get("/agreements")
def agreements():
    """Agreement records (one per signing), filtered like the "Thỏa thuận" page."""
    records, sel, rows = _agreement_selection()
    return jsonify(
        {
            "total": len(rows),
            "of": len(records),
            "filters": sel.filters,
            "sort": sel.sort,
            "warnings": sel.warnings,
            "agreements": [r.to_dict() for r in rows],
        }
    )


@bp.get("/agreements.csv")
@limited_export
def agreements_csv():
    from search_ui.views.agreements import csv_response

    _, sel, rows = _agreement_selection()
    return csv_response(rows, sel)
