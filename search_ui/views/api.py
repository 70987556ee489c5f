"""JSON API and CSV export: the same SearchQuery as the HTML page, from the same URL params.

Parameters (repeat a facet to OR values): q, province (legacy name), province_current,
partner, year, kind, source, from, to (YYYY-MM-DD), sort (relevance|newest|oldest), page,
per_page (≤100), duplicates=1, off_topic=1. Unknown parameters are a 400, so a typo
(``provnce=``) is not silently ignored. ``/feed.atom`` (views/feed.py) takes the same parameters
and gives the 50 newest matches as an Atom feed.

``q`` is read as words, not syllables (see presenters.QUERY_SYNTAX_EN, also served at ``/api/``):
each word must appear as adjacent syllables; a syllable typed with diacritics matches only that
syllable, one typed without matches any; ``"phrase"``, ``-word``, ``-"phrase"``, ``A OR B`` and
brackets work; malformed input is read leniently. ``detected`` lists the provinces and partners
the query names; ``did_you_mean`` is a correction that finds more, when the query finds little.

Each facet value comes as ``{"value", "count", "label"}``: filter with ``value`` (a source's id,
an English kind), show ``label`` (the source's title, the kind in Vietnamese). What each facet
counts is in ``facet_descriptions``; note that ``year`` is the publication year *or* any year of
an agreement period the article states, so future years appear.
"""
from __future__ import annotations

import csv
import dataclasses
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
from search_ui.params import KNOWN, query_from_args, query_string, to_pairs
from search_ui.presenters import (FACET_DESCRIPTIONS, QUERY_SYNTAX, QUERY_SYNTAX_EN, article_dict,
                                  result_dict)
from search_ui.sources import source_titles

log = logging.getLogger(__name__)
bp = Blueprint("api", __name__, url_prefix="/api")

CSV_COLUMNS = ["query", "query_url", "id", "title", "url", "source", "source_title", "published", "provinces",
               "provinces_current", "partners", "years", "kind", "lead", "is_canonical", "on_topic"]


def error(message: str, status: int):
    return jsonify(error=message, status=status), status


@bp.errorhandler(QueryError)
def bad_query(e: QueryError):
    return error(str(e), 400)


@bp.errorhandler(BackendError)
def backend_down(e: BackendError):
    log.error("backend error: %s", e)
    return error(f"hệ thống tìm kiếm đang không hoạt động: {redact(str(e))}", 503)


@bp.get("/")
def index():
    """What the API offers, for a program's author who starts here."""
    return jsonify({
        "endpoints": {
            "/api/search": "search: JSON with total, hits, facets, detected, did_you_mean",
            "/api/articles/<id>": "one article, every field",
            "/api/export.csv": "a search as CSV (same parameters)",
            "/feed.atom": "a search as an Atom feed of its 50 newest articles (same parameters)",
        },
        "parameters": sorted(KNOWN),
        "max_per_page": MAX_PER_PAGE,
        "query_syntax": QUERY_SYNTAX_EN,
        "query_examples": [example for example, _ in QUERY_SYNTAX],
        "facet_descriptions": dict(FACET_DESCRIPTIONS),
    })


@bp.get("/search")
def search():
    q = query_from_args(request.args, strict=True, per_page=current_app.config["PER_PAGE"])
    result = get_backend().search(q)
    titles = source_titles(current_app.config["SETTINGS"].SOURCES_FILE, result.hits)
    return jsonify(result_dict(result, q, titles))


@bp.get("/articles/<article_id>")
def article(article_id: str):
    art = get_backend().get(article_id)
    if art is None:
        return error(f"không tìm thấy bài viết {article_id}", 404)
    return jsonify(article_dict(art))


# A cell starting with one of these is a formula to Excel, LibreOffice or Google Sheets
# (``-2+3+cmd|' /C calc'!A0``, ``=HYPERLINK(...)``); the full-width forms are read as the ASCII
# ones by some of them, and a leading tab, CR or LF is skipped before the formula is parsed.
FORMULA_STARTS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")
CONTROL_STARTS = frozenset("\t\r\n")
# A spreadsheet opened with ';' or ',' as its separator (Vietnamese Excel uses ';') splits a cell
# there, so a formula after one ("VNPT; =HYPERLINK(...)") would start a cell of its own.
INNER_FORMULA = re.compile(r"([;,][\s\u00a0]*)(?=[=+\-@\uff1d\uff0b\uff0d\uff20])")


def _cell(value) -> str:
    """One CSV cell; lists joined by "; "; formula-looking text defused (OWASP: a leading '), at
    the start and after every ';' or ','."""
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value)
    text = INNER_FORMULA.sub(r"\1'", "" if value is None else str(value))
    first, first_visible = text[:1], text.lstrip()[:1]
    if first and (first in CONTROL_STARTS or first_visible in FORMULA_STARTS):
        return "'" + text
    return text


@bp.get("/export.csv")
def export_csv():
    """Every hit of the query (up to EXPORT_MAX_ROWS), each row recording the query that made it."""
    args = request.args.copy()
    args.pop("page", None)
    args.pop("per_page", None)
    q = query_from_args(args, strict=True, per_page=MAX_PER_PAGE)
    backend = get_backend()
    first = backend.search(q)                      # fail before the 200 starts, not mid-file
    limit = min(first.total, current_app.config["EXPORT_MAX_ROWS"])
    # Readable for the journalist, and the exact URL to re-run it (both on every row).
    qs = query_string(to_pairs(q, page=False, per_page=False))
    recorded, recorded_url = unquote_plus(qs[1:]) or "(tất cả bài viết)", url_for("search.index") + qs

    def rows():
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(CSV_COLUMNS)
        yield "\ufeff" + buf.getvalue()            # BOM: Excel then reads Vietnamese as UTF-8
        result, page, sent = first, 1, 0
        while True:
            for h in result.hits:
                if sent >= limit:
                    return
                d = article_dict(h.article)
                d.update(query=recorded, query_url=recorded_url, years=h.article.years_covered())
                buf.seek(0)
                buf.truncate()
                w.writerow([_cell(d.get(c)) for c in CSV_COLUMNS])
                sent += 1
                yield buf.getvalue()
            if sent >= limit or not result.hits:
                return
            page += 1
            try:
                result = backend.search(dataclasses.replace(q, page=page))
            except (BackendError, QueryError) as e:
                yield f"# xuất dữ liệu bị gián đoạn sau {sent} dòng: {redact(str(e))}\n"
                return

    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M")
    return Response(stream_with_context(rows()), content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="cds-radar-{stamp}.csv"',
                             "X-Total-Count": str(first.total)})
