"""``/feed.atom``: any search as an Atom feed, so a saved search becomes an alert in a feed reader.

It takes the search page's parameters and validates them the same way (a bad one is a 400 with
the reason, in Vietnamese, as plain text: feed readers show that better than an HTML page); an
unknown parameter (``provnce=``) is refused as on the API, so a typo never silently widens a feed;
only ``utm_*`` tags, which sharing tools append to any URL and which never name a filter, are
dropped. Facet values are matched loosely, as on the page (``partner=vnpt``).
``/subscribe`` is the page the search page's "Theo dõi (Atom)" link opens: what a feed is, the
URL to copy, and the search in words, instead of raw XML in the browser.
What differs is forced, not refused, so a search page URL pasted into a reader just works:
the feed is always the FEED_ENTRIES newest matches (``sort``, ``page`` and ``per_page`` are
ignored), canonical copies of on-topic articles unless ``duplicates=1`` / ``off_topic=1``.

The feed records its query twice: its self link (the canonical feed URL) and its ``alternate``
link (the HTML search page of the same query, sorted newest first, as the feed is).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, render_template, request, url_for

from indexer.backends import BackendError
from indexer.query import QueryError, SearchQuery
from search_ui.atom import FeedInfo, build_feed
from search_ui.backend import get_backend
from search_ui.facet_match import resolve_with
from search_ui.params import feed_pairs, query_from_args, to_pairs
from search_ui.presenters import describe_query
from search_ui.sources import source_titles

log = logging.getLogger(__name__)
bp = Blueprint("feed", __name__)

FEED_ENTRIES = 50
ATOM_TYPE = "application/atom+xml"


def feed_url(q: SearchQuery, external: bool = False) -> str:
    """The feed of the search ``q`` (links on the search page; the feed's own self link)."""
    pairs = feed_pairs(q)
    return url_for("feed.atom", _external=external) + (f"?{urlencode(pairs)}" if pairs else "")


def subscribe_url(q: SearchQuery) -> str:
    """The page about the feed of ``q`` (what the search page's "Theo dõi (Atom)" opens)."""
    pairs = feed_pairs(q)
    return url_for("feed.subscribe") + (f"?{urlencode(pairs)}" if pairs else "")


def plain(message: str, status: int) -> Response:
    return Response(message + "\n", status=status, content_type="text/plain; charset=utf-8")


def feed_query(args) -> SearchQuery:
    """The feed's search: the page's parameters (unknown ones refused), always the newest 50."""
    args = args.copy()
    for ignored in ["page", "per_page"] + [k for k in args if k.startswith("utm_")]:
        args.pop(ignored, None)
    q = query_from_args(args, strict=True, per_page=FEED_ENTRIES)
    q, _ = resolve_with(get_backend(), q, getattr(current_app.config["SETTINGS"], "PARTNERS_FILE", None))
    return dataclasses.replace(q, sort="newest", page=1, per_page=FEED_ENTRIES)


@bp.get("/subscribe")
def subscribe():
    """The subscribe page: what the feed is, its URL to copy, the search it follows in words."""
    try:
        q = feed_query(request.args)
    except QueryError as e:
        return render_template(
            "search/error.html", title="Tham số tìm kiếm không hợp lệ", message=f"Tham số tìm kiếm không hợp lệ: {e}"
        ), 400
    except BackendError:
        return render_template(
            "search/error.html",
            title="Hệ thống tìm kiếm tạm thời không hoạt động",
            message="Vui lòng thử lại sau ít phút.",
        ), 503
    pairs = to_pairs(q, page=False, per_page=False)
    return render_template(
        "feed/subscribe.html",
        feed=feed_url(q, external=True),
        feed_path=feed_url(q),
        described=describe_query(q),
        entries=FEED_ENTRIES,
        search_url=url_for("search.index") + ("?" + urlencode(pairs) if pairs else ""),
    )


@bp.get("/feed.atom")
def atom():
    args = request.args
    try:
        q = feed_query(args)
    except QueryError as e:
        return plain(f"Tham số tìm kiếm không hợp lệ: {e}", 400)
    except BackendError as e:
        log.error("feed search failed: %s", e)
        return plain("Hệ thống tìm kiếm đang tạm thời không hoạt động. Vui lòng thử lại sau ít phút.", 503)
    try:
        result = get_backend().search(q)
    except BackendError as e:
        log.error("feed search failed: %s", e)
        return plain("Hệ thống tìm kiếm đang tạm thời không hoạt động. Vui lòng thử lại sau ít phút.", 503)
    titles = source_titles(current_app.config["SETTINGS"].SOURCES_FILE, result.hits)
    prefix = f"tag:{current_app.config['FEED_TAG_AUTHORITY']}:"
    pairs, shown = feed_pairs(q), len(result.hits)
    info = FeedInfo(
        id=prefix + "feed" + (f"?{urlencode(pairs)}" if pairs else ""),
        title=f"CĐS Radar: {describe_query(q, titles)}",
        subtitle=(
            (f"{shown} bài mới nhất trong {result.total} bài" if result.total > shown else f"{result.total} bài")
            + " khớp tìm kiếm, mới nhất trước"
            + ("" if q.include_duplicates else "; tin đăng lại chỉ lấy bản gốc")
            + "."
        ),
        self_url=feed_url(q, external=True),
        alternate_url=url_for("search.index", _external=True)
        + "?"
        + urlencode(to_pairs(q, page=False, per_page=False)),
        tag_prefix=prefix,
        now=dt.datetime.now(dt.UTC),
    )
    body = build_feed(
        info,
        [h.article for h in result.hits],
        lambda article_id: url_for("search.article", article_id=article_id, _external=True),
        titles,
    )
    response = Response(body, content_type=f"{ATOM_TYPE}; charset=utf-8")
    response.add_etag()  # readers poll: unchanged results cost a 304, not the feed
    return response.make_conditional(request)
