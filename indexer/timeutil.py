"""Vietnam time, and reading the machine-written timestamps every part of the product meets.

One zone for the whole product: pages, sitemaps and feeds without an offset are written in
Vietnam time (GMT+7, no daylight saving), and a day ("published on 5/3") is a Vietnamese day
everywhere: in the index's date filters, in feeds, on the search page's presets. The parsers
that need more (Vietnamese dates in prose: indexer/dates.py; sitemap and feed dates:
crawler/discovery.py) build on the readers here.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from email.utils import parsedate_to_datetime

VN_TZ = timezone(timedelta(hours=7), "ICT")


def in_vietnam(value: datetime) -> datetime:
    """A naive datetime is Vietnam time; an aware one keeps its offset."""
    return value.replace(tzinfo=VN_TZ) if value.tzinfo is None else value


def from_iso(text: str | None) -> datetime | None:
    """ISO 8601 / RFC 3339 (``Z`` for UTC), naive read as Vietnam time; None when it is not one."""
    if not text:
        return None
    try:
        return in_vietnam(datetime.fromisoformat(text.strip().replace("Z", "+00:00")))
    except ValueError:
        return None


def from_rfc2822(text: str | None) -> datetime | None:
    """An RSS/e-mail date ("Thu, 11 Nov 2021 15:00:00 +0700"), naive read as Vietnam time."""
    if not text:
        return None
    try:
        return in_vietnam(parsedate_to_datetime(text.strip()))
    except (TypeError, ValueError, IndexError):
        return None


def iso_day(text: str | None) -> date | None:
    """The day of a stored ISO date or datetime ("2024-03-05T10:30:00+07:00" -> 2024-03-05), as
    written (the stored offset is already the page's); None when it does not start with one."""
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


def to_instant(text: str | None) -> datetime | None:
    """A stored date or datetime as an aware instant: an ISO datetime, else its leading day at
    midnight Vietnam time; None when unreadable."""
    found = from_iso(text)
    if found is None:
        day = iso_day(text)
        found = datetime.combine(day, time(), VN_TZ) if day else None
    return found


def day_start(day: date) -> datetime:
    """Midnight of ``day`` in Vietnam."""
    return datetime.combine(day, time(), VN_TZ)


def today_in_vietnam() -> date:
    return datetime.now(VN_TZ).date()


def utc_stamp() -> str:
    """Now, as the crawl records when a page arrived (WARC-Date, ``fetched_at``): 2024-03-05T03:30:00Z."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
