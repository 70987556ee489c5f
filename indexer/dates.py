"""Vietnamese publication dates: the formats htmldate does not read, and years the page omits.

htmldate has no "tháng" and no year inference. Vietnamese pages write dates day-first —
"Ngày Đăng: 22/2/2023 8:4", "Thứ Hai, 05/03/2024 - 10:30", "ngày 5 tháng 3 năm 2024",
"10h30 ngày 5/3/2024" — and press leads often give only day and month ("Chiều 11-11, UBND
tỉnh…"), leaving the year to the URL, the meta tags, the listing page or the sitemap. Times
without a zone are Vietnam local time (GMT+7). A timestamp with an explicit offset is shown in
GMT+7 when that keeps its calendar day ("2024-03-05T03:30:00Z" → 10:30+07:00); when it would
not, the page's own offset is kept, because the day is what a reader and the page agree on:
converting "2018-07-10T22:00:00-04:00" to GMT+7 and cutting it to a day dated the article a day
late. (:mod:`indexer.page_dates` moves such a time to GMT+7 when the page shows the GMT+7 day.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from urllib.parse import urlsplit

from indexer.timeutil import VN_TZ, from_rfc2822

MIN_YEAR, MAX_YEAR = 1995, 2100

_TIME = r"(?P<H>[01]?\d|2[0-3])\s*(?:[:hg]|giờ)\s*(?P<M>[0-5]?\d)?(?:\s*(?::|phút)\s*(?P<S>[0-5]?\d))?(?:\s*(?P<ampm>am|pm|AM|PM|SA|CH))?"
_DMY = r"(?P<d>[0-3]?\d)\s*[/.\-]\s*(?P<m>[01]?\d)\s*[/.\-]\s*(?P<y>(?:19|20)\d\d)(?!\d)"
_WORDS = (
    r"ngày\s+(?P<d>[0-3]?\d)\s+tháng\s+(?P<m>[01]?\d)"
    r"(?:\s*(?:,\s*)?năm\s+(?P<y>(?:19|20)\d\d))?"
)
_YMD = r"(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?:[T ](?P<H>[0-2]\d):(?P<M>[0-5]\d)(?::(?P<S>[0-5]\d)(?:\.\d+)?)?\s*(?P<tz>Z|[+-][0-2]\d:?[0-5]\d)?)?"
# Day and month only, introduced by a time-of-day word: "Chiều 11-11", "Sáng nay (12/10)".
_DAYPART = (
    r"(?:(?P<part>sáng|trưa|chiều|tối|đêm|rạng sáng|ngày)(?:\s+nay|\s+qua|\s+mai)?"
    r"|hôm nay|hôm qua)\s*\(?\s*(?:(?:thứ\s+\w+|chủ nhật)\s*,?\s*)?"
    r"(?P<d>[0-3]?\d)\s*[/\-.]\s*(?P<m>[01]?\d)(?![\d/\-.]*\d)"
)
_TIME_RE = re.compile(r"(?<![\d/.\-])" + _TIME + r"(?![\d/.\-]*\d{4})", re.I)
_PATTERNS = [
    ("ymd", re.compile(r"(?<!\d)" + _YMD)),
    ("dmy", re.compile(r"(?<![\d/.\-])" + _DMY)),
    ("words", re.compile(_WORDS, re.I)),
    ("daypart", re.compile(r"(?<!\w)" + _DAYPART, re.I)),
]
_URL_DATE = [re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)[/\-_]?(?P<m>[01]\d)[/\-_]?(?P<d>[0-3]\d)(?!\d)")]
# A CMS date folder without the day: Joomla's /index.php/<category>/2023/04/<slug>.html.
_URL_YEAR_MONTH = re.compile(r"/(?P<y>(?:19|20)\d\d)/(?P<m>0?[1-9]|1[0-2])/")
_URL_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


@dataclass(frozen=True)
class FoundDate:
    """A date read from text. ``has_year`` False means the year was inferred."""

    value: datetime  # aware, GMT+7
    has_time: bool
    has_year: bool = True
    how: str = ""

    def iso(self) -> str:
        """ "2024-03-05T10:30:00+07:00" with a time, "2024-03-05" without one."""
        if self.has_time:
            return self.value.isoformat(timespec="seconds")
        return self.value.date().isoformat()


def _make(
    y: int, m: int, d: int, H: int | None = None, M: int | None = None, S: int | None = None, tz: timezone | None = None
) -> datetime | None:
    if not (MIN_YEAR <= y <= MAX_YEAR):
        return None
    try:
        dt = datetime(y, m, d, H or 0, M or 0, S or 0, tzinfo=tz or VN_TZ)
    except ValueError:
        return None
    return _local(dt)


def _local(dt: datetime) -> datetime:
    """GMT+7 when that keeps the stated day (naive times are GMT+7); else the stated offset."""
    if dt.tzinfo is None or dt.utcoffset() is None:
        return dt.replace(tzinfo=VN_TZ)
    vn = dt.astimezone(VN_TZ)
    return vn if vn.date() == dt.date() else dt


def _tz(text: str | None) -> timezone | None:
    if not text:
        return None
    if text == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _time_near(text: str, start: int, end: int) -> tuple[int, int, int] | None:
    """A clock time right after (or just before) a date: "05/03/2024 - 10:30", "8:4 22/2/2023"."""
    after = text[end : end + 16]
    m = re.match(r"\s*(?:[-|,–—]|lúc|vào lúc)?\s*" + _TIME, after, re.I)
    if not m:
        before = text[max(0, start - 24) : start]
        m = re.search(_TIME + r"\s*(?:[-|,–—]|ngày|,\s*ngày)?\s*(?:(?:thứ\s+\w+|chủ nhật)\s*,?\s*)?$", before, re.I)
    if not m or (m.group("M") is None and not re.search(r"giờ|h", m.group(0), re.I)):
        return None
    h = int(m.group("H"))
    ampm = (m.group("ampm") or "").lower()
    if ampm in ("pm", "ch") and h < 12:
        h += 12
    elif ampm in ("am", "sa") and h == 12:
        h = 0
    return h, int(m.group("M") or 0), int(m.group("S") or 0)


def infer_year(day: int, month: int, *, url: str = "", reference: date | None = None) -> int | None:
    """Year for a day-month date: the URL's year, else the latest year not after ``reference``.

    ``reference`` is a date known to be on or after publication (sitemap lastmod, RSS date,
    listing date, the page's meta date, or the crawl date).
    """
    if url:
        years = {int(y) for y in _URL_YEAR.findall(url) if MIN_YEAR <= int(y) <= MAX_YEAR}
        if len(years) == 1:
            return years.pop()
    if reference is not None:
        y = reference.year
        return y if (month, day) <= (reference.month, reference.day) else y - 1
    return None


def find_dates(text: str, *, url: str = "", reference: date | None = None) -> list[FoundDate]:
    """Every date expression in ``text`` in order of appearance (overlaps removed)."""
    if not text:
        return []
    hits: list[tuple[int, int, FoundDate]] = []
    for how, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if any(s <= m.start() < e or m.start() <= s < m.end() for s, e, _ in hits):
                continue
            g = m.groupdict()
            d, mo = int(g["d"]), int(g["m"])
            has_year = bool(g.get("y"))
            if has_year:
                y = int(g["y"])
            else:
                y = infer_year(d, mo, url=url, reference=reference)
                if y is None:
                    continue
            if how == "ymd" and g.get("H"):
                dt = _make(y, mo, d, int(g["H"]), int(g["M"]), int(g["S"] or 0), _tz(g.get("tz")))
                has_time = True
            else:
                clock = _time_near(text, m.start(), m.end())
                if clock is None and how == "words":
                    clock = _time_near(text, m.start(), m.start())
                dt = _make(y, mo, d, *(clock or (None, None, None)))
                has_time = clock is not None
            if dt is not None:
                hits.append((m.start(), m.end(), FoundDate(dt, has_time, has_year, how)))
    return [f for _, _, f in sorted(hits, key=lambda h: h[0])]


def parse_date(text: str, *, url: str = "", reference: date | None = None) -> FoundDate | None:
    """The first date in ``text`` (see :func:`find_dates`), or None."""
    found = find_dates(text, url=url, reference=reference)
    return found[0] if found else None


def parse_iso(value: str | None) -> FoundDate | None:
    """A machine timestamp (meta tags, sitemaps, RSS) → GMT+7; naive times are taken as GMT+7."""
    if not value:
        return None
    value = value.strip()
    m = re.match(r"\s*" + _YMD, value)
    if m:
        g = m.groupdict()
        has_time = g.get("H") is not None
        dt = _make(
            int(g["y"]),
            int(g["m"]),
            int(g["d"]),
            int(g["H"] or 0),
            int(g["M"] or 0),
            int(g["S"] or 0),
            _tz(g.get("tz")) if has_time else None,
        )
        # a bare midnight in UTC is a date, not a time
        return FoundDate(dt, has_time, True, "iso") if dt else None
    dt = from_rfc2822(value)  # RSS: "Thu, 11 Nov 2021 15:00:00 +0700"
    if dt is not None:
        return FoundDate(_local(dt), True, True, "rfc2822")
    return parse_date(value)


def date_from_url(url: str) -> FoundDate | None:
    """/2021/11/11/ or 20211111 in a URL (a date, no time)."""
    for pattern in _URL_DATE:
        m = pattern.search(url or "")
        if m and "d" in m.groupdict():
            dt = _make(int(m.group("y")), int(m.group("m")), int(m.group("d")))
            if dt:
                return FoundDate(dt, False, True, "url")
    return None


_PERMALINK = re.compile(
    r"/((?:19|20)\d\d)/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])/"
    r"|/((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])/"
)


def permalink_day(url: str) -> date | None:
    """The day a permalink files the post under (/2019/01/01/slug, /20190101/slug), if any."""
    m = _PERMALINK.search(urlsplit(url or "").path)
    if not m:
        return None
    y, mo, d = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(4), m.group(5), m.group(6))
    try:
        return date(int(y), int(mo), int(d))
    except ValueError:
        return None


def year_month_from_url(url: str) -> tuple[int, int] | None:
    """(year, month) of a /yyyy/mm/ folder in the URL's path; None when there is none.

    Not a date: the day is unknown, so callers keep it apart from ``published`` and may only
    use the year (a page with no date at all still belongs in the year facet).
    """
    m = _URL_YEAR_MONTH.search(urlsplit(url or "").path)
    if not m:
        return None
    year, month = int(m.group("y")), int(m.group("m"))
    return (year, month) if MIN_YEAR <= year <= MAX_YEAR else None
