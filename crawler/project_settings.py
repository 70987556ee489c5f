"""The add-on that makes Scrapy's settings object hold every declared setting, typed.

config/settings.py declares each setting once; crawler/settings.py puts it in Scrapy's settings
under its key. What only the command line can bring is handled here, before any component reads
a value:

- ``-s CDS_<NAME>=value`` (the environment's spelling, the one the README documents) means the
  setting's Scrapy key: ``-s CDS_CRAWL_INDEX_BATCH=10`` is ``-s INDEX_PIPELINE_BATCH_SIZE=10``.
- ``-s CRAWL_WARC=...`` (the bare product name, which Scrapy would silently ignore) is refused,
  naming the two spellings that work.
- A value given as text is checked against the declared type, so ``-s CRAWL_WARC=flase`` or
  ``-s INDEX_PIPELINE_BATCH_SIZE=ten`` stops the command with one line naming the setting,
  instead of a traceback from whichever component reads it first (or a silent default).
- Settings Scrapy derives from others follow the values in force: AutoThrottle starts from
  DOWNLOAD_DELAY, and DOWNLOAD_WARNSIZE never exceeds DOWNLOAD_MAXSIZE.

It runs for every crawler (``update_settings``) and for the command's settings
(``update_pre_crawler_settings``, and the project commands call :func:`apply` as they read
their options, so a bad value is a usage error).
"""

from __future__ import annotations

from scrapy.exceptions import UsageError

from config.settings import SETTINGS

WARNSIZE_CAP = 2 * 1024 * 1024


def apply(settings) -> None:
    if settings.frozen:
        return
    for s in SETTINGS:
        if s.name != s.key and settings.getpriority(s.name) is not None:
            raise UsageError(
                f"{s.name} is not a Scrapy setting: use -s {s.key}=... (or -s {s.env}=..., as in the environment)",
                print_help=False,
            )
        given = s.key
        if s.key != s.env and settings.getpriority(s.env) is not None:
            settings.set(s.key, settings[s.env], priority=settings.getpriority(s.env))
            given = f"{s.env}, that is {s.key},"
        value = settings.get(s.key)
        if isinstance(value, str) and not isinstance(s.default, str):
            try:
                typed = s.parse(value)
            except ValueError:
                raise UsageError(
                    f"setting {given} = {value!r} is not a valid {s.type_name()}: {s.help}", print_help=False
                ) from None
            settings.set(s.key, typed, priority=settings.getpriority(s.key))
    settings.set("AUTOTHROTTLE_START_DELAY", max(settings.getfloat("DOWNLOAD_DELAY"), 0.0), priority="addon")
    settings.set("DOWNLOAD_WARNSIZE", min(settings.getint("DOWNLOAD_MAXSIZE"), WARNSIZE_CAP), priority="addon")


class ProjectSettings:
    """Scrapy add-on (ADDONS in crawler/settings.py)."""

    @classmethod
    def update_pre_crawler_settings(cls, settings) -> None:
        apply(settings)

    def update_settings(self, settings) -> None:
        apply(settings)
