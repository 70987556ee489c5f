"""Vietnamese date styles seen on real portals, as Jinja filters.

Each site shows dates its own way (and some not at all) because the crawler's date parser has to
cope with all of them: "Ngày Đăng: 22/2/2023 8:4", "Thứ Hai, 05/03/2024 - 10:30",
"ngày 5 tháng 3 năm 2024", "12/10/2021 | 09:15", "Cập nhật lúc 14:20 ngày 03/06/2022".
"""

from __future__ import annotations

from datetime import datetime
from email.utils import format_datetime

WEEKDAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"]


def sharepoint(d: datetime) -> str:
    return f"{d.day}/{d.month}/{d.year} {d.hour}:{d.minute}"


def weekday_dash(d: datetime) -> str:
    return f"{WEEKDAYS[d.weekday()]}, {d:%d/%m/%Y - %H:%M}"


def spelled(d: datetime) -> str:
    return f"ngày {d.day} tháng {d.month} năm {d.year}"


def weekday_spelled(d: datetime) -> str:
    return f"{WEEKDAYS[d.weekday()]}, {spelled(d)} | {d:%H:%M}"


def pipe(d: datetime) -> str:
    return f"{d:%d/%m/%Y | %H:%M}"


def updated(d: datetime) -> str:
    return f"Cập nhật lúc {d:%H:%M} ngày {d:%d/%m/%Y}"


def dmy(d: datetime) -> str:
    return f"{d:%d/%m/%Y}"


def iso(d: datetime) -> str:
    return d.isoformat(timespec="seconds")


def rfc822(d: datetime) -> str:
    return format_datetime(d)


FILTERS = {
    "sharepoint": sharepoint,
    "weekday_dash": weekday_dash,
    "spelled": spelled,
    "weekday_spelled": weekday_spelled,
    "pipe": pipe,
    "updated": updated,
    "dmy": dmy,
    "iso": iso,
    "rfc822": rfc822,
}
