"""``/agreements``: the "Thỏa thuận" page — who signed what with whom, for which period.

A table province × partner × period, filterable by the same facet names as the search page,
sortable, with a timeline of signings per year (server-side SVG, each bar a link), each row
linking to the articles that report it. The JSON and CSV forms live in the API blueprint
(views/api.py: /api/v1/agreements, /api/v1/agreements.csv) and share this module's CSV writer.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
from urllib.parse import urlencode

from flask import Blueprint, Response, render_template, request, url_for

from indexer.backends import BackendError
from indexer.query import QueryError
from search_ui.agreement_records import SORTS, STATUSES, Selection, all_records, facet_counts, parse, select, timeline
from search_ui.backend import get_backend
from search_ui.csv_cells import csv_cell
from search_ui.page_state import Chip

log = logging.getLogger(__name__)
bp = Blueprint("agreements", __name__)

CSV_COLUMNS = [
    "province",
    "province_current",
    "partners",
    "period_start",
    "period_end",
    "signed",
    "status",
    "areas",
    "article_titles",
    "article_urls",
    "sources",
]
FACET_TITLES = {
    "province_current": "Tỉnh, thành phố",
    "partner": "Đối tác",
    "year": "Năm hiệu lực",
    "status": "Tình trạng",
}
CHIP_NAMES = {
    "province": "Tỉnh (cũ)",
    "province_current": "Tỉnh",
    "partner": "Đối tác",
    "year": "Năm hiệu lực",
    "signed": "Năm ký",
    "status": "Tình trạng",
}


def pairs_of(sel: Selection) -> list[tuple[str, str]]:
    pairs = [(k, v) for k, vs in sel.filters.items() for v in vs]
    return pairs + ([("sort", sel.sort)] if sel.sort != "signed" else [])


def link(pairs) -> str:
    return url_for("agreements.index") + ("?" + urlencode(list(pairs)) if pairs else "")


def toggled(sel: Selection, name: str, value: str) -> str:
    pairs = pairs_of(sel)
    return link([p for p in pairs if p != (name, value)] if (name, value) in pairs else pairs + [(name, value)])


def timeline_svg_bars(records, sel: Selection) -> list[dict]:
    """Bars of the timeline (year, count, height, link); drawn by templates/_year_bars.html."""
    years = timeline(records)
    top = max((n for _, n in years), default=0) or 1
    base = [p for p in pairs_of(sel) if p[0] != "signed"]
    return [
        {
            "year": y,
            "count": n,
            "height": round(100 * n / top),
            "url": link(base + [("signed", str(y))]),
            "selected": str(y) in sel.filters.get("signed", []),
        }
        for y, n in years
    ]


@bp.get("/agreements")
def index():
    try:
        records = all_records(get_backend())
    except BackendError as e:
        log.error("agreements failed: %s", e)
        return render_template(
            "search/error.html",
            title="Không tải được danh sách thỏa thuận",
            message="Hệ thống tìm kiếm đang tạm thời không hoạt động. Vui lòng thử lại sau ít phút.",
        ), 503
    try:
        sel = parse(request.args, records, strict=False)
    except QueryError as e:
        return render_template("search/error.html", title="Tham số không hợp lệ", message=str(e)), 400
    rows = select(records, sel)
    chips = [
        Chip(CHIP_NAMES[k], STATUSES.get(v, v) if k == "status" else v, toggled(sel, k, v))
        for k, vs in sel.filters.items()
        for v in vs
    ]
    facets = [
        (
            name,
            FACET_TITLES[name],
            [
                (
                    v,
                    STATUSES.get(v, v) if name == "status" else v,
                    n,
                    v in sel.filters.get(name, []),
                    toggled(sel, name, v),
                )
                for v, n in vals
            ],
        )
        for name, vals in facet_counts(records, sel).items()
    ]
    qs = urlencode(pairs_of(sel))
    return render_template(
        "agreements/index.html",
        rows=rows,
        total=len(records),
        sel=sel,
        chips=chips,
        facets=facets,
        bars=timeline_svg_bars(
            select(records, Selection({k: v for k, v in sel.filters.items() if k != "signed"})), sel
        ),
        sorts=[
            (
                k,
                label,
                link([p for p in pairs_of(sel) if p[0] != "sort"] + ([("sort", k)] if k != "signed" else [])),
                k == sel.sort,
            )
            for k, label in SORTS.items()
        ],
        csv_url=url_for("api.agreements_csv") + (f"?{qs}" if qs else ""),
        json_url=url_for("api.agreements") + (f"?{qs}" if qs else ""),
        clear_url=link([("sort", sel.sort)] if sel.sort != "signed" else []),
        statuses=STATUSES,
        heading=" · ".join(c.label for c in chips) or "Tất cả thỏa thuận",
    )


def csv_response(rows, sel: Selection) -> Response:
    """One row per agreement; the filters that made the file go in a leading comment line."""
    buf = io.StringIO()
    described = "; ".join(f"{k}={v}" for k, v in pairs_of(sel)) or "(tất cả thỏa thuận)"
    buf.write(
        f"# CĐS Radar — thỏa thuận hợp tác; bộ lọc: {described}; {len(rows)} dòng; "
        f"xuất lúc {dt.datetime.now().strftime('%d/%m/%Y %H:%M')}\n"
    )
    w = csv.writer(buf)
    w.writerow(CSV_COLUMNS)
    for r in rows:
        w.writerow(
            [
                csv_cell(v)
                for v in (
                    r.province,
                    r.province_current,
                    r.partners,
                    r.period[0] if r.period else "",
                    r.period[1] if r.period else "",
                    r.signed or "",
                    r.status,
                    r.areas,
                    [a.title for a in r.reports],
                    [a.url for a in r.reports],
                    [a.source_title or a.source for a in r.reports],
                )
            ]
        )
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M")
    return Response(
        "\ufeff" + buf.getvalue(),
        content_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="cds-radar-thoa-thuan-{stamp}.csv"',
            "X-Total-Count": str(len(rows)),
        },
    )
