"""The 63 legacy provinces, the 34 current ones (July 2025) and the mapping, from vietnamadminunits.

We read the package's own data files (parser_legacy.json, parser_from_2025.json,
converter_2025.json) rather than calling its address parser: the parser wants one address per
call, we need every name in a whole article. Importing the package itself would also pull in
geopy/shapely for nothing.

One deliberate difference: the legacy province vietnamadminunits calls "Huế" is stored as
"Thừa Thiên Huế", the name every 2019–2025 article (and the demo web's ground truth) uses;
its successor is "Huế".
"""

from __future__ import annotations

import importlib.util
import json
from functools import lru_cache
from pathlib import Path

from indexer.normalize import canonical

LEGACY_RENAMES = {"Huế": "Thừa Thiên Huế"}

# Other ways pages write a province (canonical text). Longest match wins, so "Thừa Thiên Huế"
# beats "Huế" and "TP. Hồ Chí Minh" beats the bare name.
EXTRA_ALIASES: dict[str, list[str]] = {
    "Thừa Thiên Huế": ["Thừa Thiên - Huế", "TT-Huế", "Huế"],
    "Bà Rịa - Vũng Tàu": ["Bà Rịa Vũng Tàu", "BR-VT", "Vũng Tàu"],
    # Canonical text already spaces "TP.HCM"/"Tp.HCM" to "TP. HCM"/"Tp. HCM". "Sài Gòn" is the
    # city too (not when it starts a name: "Báo Sài Gòn Giải Phóng", see provinces.py).
    "Hồ Chí Minh": [
        "TP. Hồ Chí Minh",
        "Tp. Hồ Chí Minh",
        "tp. Hồ Chí Minh",
        "TP Hồ Chí Minh",
        "Tp Hồ Chí Minh",
        "Thành phố Hồ Chí Minh",
        "thành phố Hồ Chí Minh",
        "TP. HCM",
        "Tp. HCM",
        "tp. HCM",
        "TP HCM",
        "Tp HCM",
        "tp HCM",
        "TPHCM",
        "TpHCM",
        "Thành phố HCM",
        "thành phố HCM",
        "Sài Gòn",
    ],
    "Hà Nội": ["Thủ đô Hà Nội", "thủ đô Hà Nội"],
    "Đắk Lắk": ["Đăk Lăk", "Đắc Lắc", "Daklak", "Đắk Lăk", "Dak Lak"],
    "Đắk Nông": ["Đăk Nông", "Đắc Nông", "Dak Nong", "Đắk Nông"],
    "Kon Tum": ["Kontum"],
    "Bắc Kạn": ["Bắc Cạn"],
    "Đà Nẵng": [],
}


def _data_dir() -> Path:
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("vietnamadminunits is not installed (see requirements.txt)")
    return Path(list(spec.submodule_search_locations)[0]) / "data"


@lru_cache(maxsize=1)
def province_tables() -> tuple[dict[str, str], list[str], list[str]]:
    """(legacy name → current name, the 63 legacy names, the 34 current names), canonical."""
    data = _data_dir()
    legacy = json.loads((data / "parser_legacy.json").read_text(encoding="utf-8"))["DICT_PROVINCE"]
    current = json.loads((data / "parser_from_2025.json").read_text(encoding="utf-8"))["DICT_PROVINCE"]
    merges = json.loads((data / "converter_2025.json").read_text(encoding="utf-8"))["DICT_PROVINCE"]

    def legacy_name(key: str) -> str:
        short = canonical(legacy[key]["provinceShort"])
        return LEGACY_RENAMES.get(short, short)

    mapping: dict[str, str] = {}
    for new_key, old_keys in merges.items():
        new_name = canonical(current[new_key]["provinceShort"])
        for old in old_keys:
            mapping[legacy_name(old)] = new_name
    legacy_names = [legacy_name(k) for k in legacy]
    current_names = [canonical(v["provinceShort"]) for v in current.values()]
    missing = [n for n in legacy_names if n not in mapping]
    if missing:
        raise RuntimeError(f"vietnamadminunits data has no 2025 successor for {missing}")
    return mapping, legacy_names, current_names


def to_current(legacy_name: str) -> str:
    """The July-2025 province that absorbed ``legacy_name`` ("Bắc Kạn" → "Thái Nguyên")."""
    return province_tables()[0].get(legacy_name, "")


def aliases() -> dict[str, list[str]]:
    """legacy name → every spelling to look for (the name itself first)."""
    _, legacy_names, _ = province_tables()
    out = {}
    for name in legacy_names:
        names = [name, *EXTRA_ALIASES.get(name, [])]
        out[name] = list(dict.fromkeys(canonical(n) for n in names))
    return out
