"""One Vietnam time zone and one reading of stored timestamps, for every part of the product."""

from datetime import UTC, date, datetime, timedelta

from indexer.timeutil import VN_TZ, day_start, from_iso, from_rfc2822, iso_day, to_instant


def test_naive_times_are_vietnam_time_and_stated_offsets_are_kept():
    assert from_iso("2024-03-05T10:30:00").utcoffset() == timedelta(hours=7)
    assert from_iso("2024-03-05T03:30:00Z") == datetime(2024, 3, 5, 10, 30, tzinfo=VN_TZ)
    assert from_iso(" 2024-03-05T10:30:00+09:00 ").utcoffset() == timedelta(hours=9)
    assert from_iso("5/3/2024") is None and from_iso("") is None and from_iso(None) is None


def test_rss_dates():
    assert from_rfc2822("Thu, 11 Nov 2021 15:00:00 +0700") == datetime(2021, 11, 11, 8, tzinfo=UTC)
    assert from_rfc2822("Thu, 11 Nov 2021 15:00:00").utcoffset() == timedelta(hours=7)
    assert from_rfc2822("hôm qua") is None


def test_a_stored_day_is_a_vietnamese_day():
    assert to_instant("2024-03-05") == day_start(date(2024, 3, 5))
    assert to_instant("2024-03-05").timestamp() == datetime(2024, 3, 4, 17, tzinfo=UTC).timestamp()
    assert to_instant("2024-03-05 (sửa)") == day_start(date(2024, 3, 5))
    assert to_instant("không rõ") is None
    assert iso_day("2024-03-05T23:30:00+07:00") == date(2024, 3, 5)
    assert iso_day("05/03/2024") is None and iso_day(None) is None
