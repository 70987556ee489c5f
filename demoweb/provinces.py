"""Legacy (63) province names and their July-2025 successors (34), frozen for the ground truth.

Taken from vietnamadminunits 1.0.4 (parser_legacy.json + converter_2025.json) so the demo's truth
does not depend on that package at run time. One deliberate difference: the legacy name of Huế is
"Thừa Thiên Huế" (the name every 2019–2024 article uses); vietnamadminunits already calls it "Huế".
"""

from __future__ import annotations

LEGACY_TO_CURRENT: dict[str, str] = {
    "Hà Nội": "Hà Nội",
    "Hà Giang": "Tuyên Quang",
    "Cao Bằng": "Cao Bằng",
    "Bắc Kạn": "Thái Nguyên",
    "Tuyên Quang": "Tuyên Quang",
    "Lào Cai": "Lào Cai",
    "Điện Biên": "Điện Biên",
    "Lai Châu": "Lai Châu",
    "Sơn La": "Sơn La",
    "Yên Bái": "Lào Cai",
    "Hòa Bình": "Phú Thọ",
    "Thái Nguyên": "Thái Nguyên",
    "Lạng Sơn": "Lạng Sơn",
    "Quảng Ninh": "Quảng Ninh",
    "Bắc Giang": "Bắc Ninh",
    "Phú Thọ": "Phú Thọ",
    "Vĩnh Phúc": "Phú Thọ",
    "Bắc Ninh": "Bắc Ninh",
    "Hải Dương": "Hải Phòng",
    "Hải Phòng": "Hải Phòng",
    "Hưng Yên": "Hưng Yên",
    "Thái Bình": "Hưng Yên",
    "Hà Nam": "Ninh Bình",
    "Nam Định": "Ninh Bình",
    "Ninh Bình": "Ninh Bình",
    "Thanh Hóa": "Thanh Hóa",
    "Nghệ An": "Nghệ An",
    "Hà Tĩnh": "Hà Tĩnh",
    "Quảng Bình": "Quảng Trị",
    "Quảng Trị": "Quảng Trị",
    "Thừa Thiên Huế": "Huế",
    "Đà Nẵng": "Đà Nẵng",
    "Quảng Nam": "Đà Nẵng",
    "Quảng Ngãi": "Quảng Ngãi",
    "Bình Định": "Gia Lai",
    "Phú Yên": "Đắk Lắk",
    "Khánh Hòa": "Khánh Hòa",
    "Ninh Thuận": "Khánh Hòa",
    "Bình Thuận": "Lâm Đồng",
    "Kon Tum": "Quảng Ngãi",
    "Gia Lai": "Gia Lai",
    "Đắk Lắk": "Đắk Lắk",
    "Đắk Nông": "Lâm Đồng",
    "Lâm Đồng": "Lâm Đồng",
    "Bình Phước": "Đồng Nai",
    "Tây Ninh": "Tây Ninh",
    "Bình Dương": "Hồ Chí Minh",
    "Đồng Nai": "Đồng Nai",
    "Bà Rịa - Vũng Tàu": "Hồ Chí Minh",
    "Hồ Chí Minh": "Hồ Chí Minh",
    "Long An": "Tây Ninh",
    "Tiền Giang": "Đồng Tháp",
    "Bến Tre": "Vĩnh Long",
    "Trà Vinh": "Vĩnh Long",
    "Vĩnh Long": "Vĩnh Long",
    "Đồng Tháp": "Đồng Tháp",
    "An Giang": "An Giang",
    "Kiên Giang": "An Giang",
    "Cần Thơ": "Cần Thơ",
    "Hậu Giang": "Cần Thơ",
    "Sóc Trăng": "Cần Thơ",
    "Bạc Liêu": "Cà Mau",
    "Cà Mau": "Cà Mau",
}

PARTNERS = (
    "VNPT",
    "Viettel",
    "MobiFone",
    "FPT",
    "CMC",
    "VNG",
    "MISA",
    "Bkav",
    "Vietnam Post",
    "Viettel Post",
    "VNPAY",
    "MoMo",
    "Microsoft",
    "Google",
    "Amazon Web Services",
    "Huawei",
    "Samsung",
    "Ericsson",
    "Nokia",
    "Qualcomm",
    "Cisco",
    "Intel",
    "Meta",
    "NVIDIA",
)


def current_provinces(legacy: list[str]) -> list[str]:
    """Successor provinces, de-duplicated in first-seen order (Hà Giang + Tuyên Quang → one)."""
    out: list[str] = []
    for name in legacy:
        cur = LEGACY_TO_CURRENT[name]
        if cur not in out:
            out.append(cur)
    return out
