"""Crawler-trap guard on every request a callback yields: session ids are stripped (the same
page under a new id each visit would otherwise be endless), and URLs that look like endless
calendars or generated paths are dropped with a counted stat.

Depth and pages-per-run limits are Scrapy's own (DEPTH_LIMIT, CLOSESPIDER_PAGECOUNT); this
covers what those limits only cut off late.
"""

from __future__ import annotations

import logging
import re
from datetime import date
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from scrapy import Request
from scrapy.exceptions import NotConfigured

logger = logging.getLogger(__name__)

_PATH_SESSION = re.compile(r";(?:jsessionid|phpsessid|sid|sessionid)=[^/?#]*", re.I)
_ASPNET_SESSION = re.compile(r"/\((?:[A-Z]\([^)/]*\))+\)", re.I)
# a year followed by a month (/2031/05, 2031-05-01) or a year-named query value (?year=2031):
# bare 4-digit numbers are too often article ids to count as years.
_YEAR_MONTH = re.compile(r"(?<![0-9])((?:19|20|21)\d{2})[-/_.](?:0?[1-9]|1[0-2])(?![0-9])")
_YEAR_KEYS = {"year", "nam", "y", "yyyy"}


class TrapFilterMiddleware:
    def __init__(
        self,
        stats,
        max_url_length: int,
        max_repeats: int,
        max_params: int,
        year_range: tuple[int, int],
        session_params: list[str],
    ) -> None:
        self.stats = stats
        self.max_url_length = max_url_length
        self.max_repeats = max_repeats
        self.max_params = max_params
        self.min_year, self.max_year = int(year_range[0]), date.today().year + int(year_range[1])
        self.session_params = {p.lower() for p in session_params}

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("TRAP_FILTER_ENABLED"):
            raise NotConfigured
        return cls.from_settings(crawler.settings, crawler.stats)

    @classmethod
    def from_settings(cls, s, stats=None):
        """Also used without a crawl (``scrapy classify``), where nothing is counted."""
        return cls(
            stats,
            s.getint("TRAP_FILTER_MAX_URL_LENGTH"),
            s.getint("TRAP_FILTER_MAX_SEGMENT_REPEATS"),
            s.getint("TRAP_FILTER_MAX_QUERY_PARAMS"),
            tuple(s.getlist("TRAP_FILTER_YEAR_RANGE")),
            s.getlist("TRAP_FILTER_SESSION_PARAMS"),
        )

    def process_spider_output(self, response, result):
        for obj in result:
            obj = self._check(obj)
            if obj is not None:
                yield obj

    async def process_spider_output_async(self, response, result):
        async for obj in result:
            obj = self._check(obj)
            if obj is not None:
                yield obj

    def _check(self, obj):
        if not isinstance(obj, Request):
            return obj
        clean = self.strip_session(obj.url)
        if clean != obj.url:
            self.stats.inc_value("cds/traps/session_id_stripped")
            obj = obj.replace(url=clean)
        reason = self.trap_reason(obj.url)
        if reason:
            self.stats.inc_value(f"cds/skipped/trap_{reason}")
            logger.info("skipped likely crawler trap (%s): %s", reason, obj.url)
            return None
        return obj

    def strip_session(self, url: str) -> str:
        parts = urlsplit(url)
        path = _ASPNET_SESSION.sub("", _PATH_SESSION.sub("", parts.path))
        query = parts.query
        if query:
            pairs = parse_qsl(query, keep_blank_values=True)
            kept = [(k, v) for k, v in pairs if k.lower() not in self.session_params]
            if len(kept) != len(pairs):
                query = urlencode(kept)
        return urlunsplit((parts.scheme, parts.netloc, path, query, parts.fragment))

    def trap_reason(self, url: str) -> str:
        if len(url) > self.max_url_length:
            return "long_url"
        parts = urlsplit(url)
        segments = [s for s in parts.path.split("/") if s]
        if segments and max(segments.count(s) for s in segments) > self.max_repeats:
            return "repeated_path"
        if len(parse_qsl(parts.query, keep_blank_values=True)) > self.max_params:
            return "many_params"
        years = _YEAR_MONTH.findall(parts.path + "?" + parts.query)
        years += [v for k, v in parse_qsl(parts.query) if k.lower() in _YEAR_KEYS and v.isdigit()]
        if any(not self.min_year <= int(y) <= self.max_year for y in years):
            return "calendar"
        return ""
