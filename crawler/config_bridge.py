"""Carry CĐS Radar settings through Scrapy's settings object, and back out again.

crawler/settings.py copies every :mod:`config.settings` value into a Scrapy setting called
``CDS_<NAME>`` (so ``-s CDS_DATA_DIR=...`` works like any Scrapy setting); components that need
the whole project settings object (the index pipeline builds a backend from it) rebuild it here
instead of calling ``Settings.from_env()`` themselves, which would bypass ``-s`` overrides.
"""
from __future__ import annotations

from pathlib import Path

from config.settings import SETTINGS, Settings, _coerce


def cds_settings(scrapy_settings) -> Settings:
    values = {}
    for s in SETTINGS:
        value = scrapy_settings.get(f"CDS_{s.name}", s.default)
        if isinstance(value, str) and not isinstance(s.default, str):
            value = _coerce(value, s.default)
        values[s.name] = value
    return Settings(**values)


def data_path(scrapy_settings, *parts: str) -> Path:
    """A path under DATA_DIR: the one place crawl state, archive and logs live."""
    return Path(scrapy_settings.get("CDS_DATA_DIR") or cds_settings(scrapy_settings).DATA_DIR, *parts)


def source_variables(scrapy_settings) -> dict:
    """``${NAME}`` placeholders in sources files are filled from the settings (DEMO_PORT...)."""
    return {k: str(v) for k, v in cds_settings(scrapy_settings).as_dict().items()}
