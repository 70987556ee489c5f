"""What the project commands share: loading the sources file as the crawl would, with every bad
entry reported (naming the field) while the good ones go on. A file that cannot be used at all
(missing, YAML syntax, not a ``sources:`` list, unknown ``${PLACEHOLDER}``) is one line naming file,
line and problem, and exit status 2: no traceback, no half-drawn progress table."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from config.settings import Settings
from config.sources import Source, SourceError, SourcesFileError, load_sources
from crawler import project_settings


class ProjectCommand:
    """Mixin for the project's commands: their own settings (CRAWLALL_*, SCHEDULE_*, CDS_*) take
    ``-s CDS_<NAME>`` and are type-checked as a crawl's are, and a bad value is a usage error."""

    def process_options(self, args, opts) -> None:
        super().process_options(args, opts)
        project_settings.apply(self.settings)


def configured_sources(settings, report: bool = True) -> tuple[list[Source], list[SourceError]]:
    errors: list[SourceError] = []
    try:
        sources = load_sources(settings["CDS_SOURCES_FILE"], Settings.from_scrapy(settings).as_dict(), errors=errors)
    except SourcesFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    if report:
        for err in errors:
            print(f"config error: {err} (this source is skipped)", file=sys.stderr)
    return sources, errors


def writable_data_dir(settings) -> None:
    """A crawl writes its index, archive and state under DATA_DIR: say so in one line, exit 1,
    when it cannot (a read-only mount, missing permissions, a full disk) instead of failing in
    every component at once."""
    path = Path(settings["CDS_DATA_DIR"])
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / f".write-probe-{os.getpid()}"
        probe.write_bytes(b"ok")
        probe.unlink()
    except OSError as exc:
        print(f"error: the data folder {path} (CDS_DATA_DIR) is not writable: {exc.strerror or exc}", file=sys.stderr)
        raise SystemExit(1) from None


def table(rows: list[list], header: list[str]) -> str:
    cells = [[str(c) for c in row] for row in [header, *rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells)
