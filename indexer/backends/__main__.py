"""``python -m indexer.backends``: operator commands for the search backends.

    python -m indexer.backends upgrade-es [--dry-run]
    python -m indexer.backends set-aside-stale     (embedded: an index of an older schema, moved aside)
    python -m indexer.backends status [--json]

``upgrade-es`` moves the Elasticsearch index named by CDS_ES_INDEX (an alias) to this code's
mapping version: it copies every article into ``<CDS_ES_INDEX>-v<N>`` and switches the alias,
keeping the old index as a way back; it prints its progress, and run again after an interruption
it resumes (copies only what the new index lacks). The backend refuses to write into an older version until
this has run, so a crawl never fills an index whose mapping lacks the fields the code searches.
Stop crawls while it runs; searches keep working. ``status`` reports cluster health, the alias,
the indices behind it with document counts and mapping versions, and what this code would do
(exit 0 ready, 3 something to do, 1 unreachable or refused). CDS_* variables are read here, at the edge.
"""

from __future__ import annotations

import argparse
import sys

from config.settings import Settings
from indexer.backends.base import BackendError


def upgrade_es(settings: Settings, dry_run: bool, out=sys.stdout) -> int:
    from indexer.backends.elasticsearch import ElasticsearchBackend
    from indexer.backends.es_versions import CREATE, READY

    backend = ElasticsearchBackend.from_settings(settings)
    try:
        if dry_run:
            plan = backend.version_plan()
            what = {
                READY: f"{backend.alias} already serves {backend.versioned_index}: nothing to do",
                CREATE: f"no index yet: would create {backend.versioned_index} behind {backend.alias}",
            }
            print(what.get(plan.action) or plan.message, file=out)
            return 0
        done = backend.upgrade(
            progress=lambda n, total: print(f"copied {n:,} of {total:,} articles", file=sys.stderr, flush=True)
        )
    finally:
        backend.close()
    if done["action"] == READY:
        print(f"{backend.alias} already serves {done['index']}: nothing to do", file=out)
    elif done["action"] == CREATE:
        print(f"created {done['index']} behind {backend.alias} (empty)", file=out)
    else:
        resumed = f" (resumed: {done['resumed']} were already there)" if done["resumed"] else ""
        print(
            f"copied {done['copied']} articles into {done['index']}{resumed}; {backend.alias} now points at it. "
            f"The previous index ({', '.join(done['previous'])}) is kept: delete it once satisfied.",
            file=out,
        )
    return 0


def status(settings: Settings, as_json: bool, out=None) -> int:
    import json

    from indexer.backends.elasticsearch import ElasticsearchBackend
    from indexer.backends.es_status import exit_code, format_status

    backend = ElasticsearchBackend.from_settings(settings)
    try:
        report = backend.status()
    finally:
        backend.close()
    print(
        json.dumps(report, ensure_ascii=False, indent=2) if as_json else format_status(report, backend.url),
        file=out or sys.stdout,
    )
    return exit_code(report)


def set_aside_stale_embedded(settings: Settings, out=sys.stdout) -> int:
    """An embedded index written by older code cannot be opened by this one: move it aside, so
    ``scrapy reextract`` can rebuild it from the crawl archive (``make run`` does both). Exit 0
    when nothing needed doing, 3 when the index was moved aside and must be rebuilt."""
    import time
    from pathlib import Path

    from indexer.backends.embedded import VERSION_FILE
    from indexer.backends.tantivy_schema import SCHEMA_VERSION

    path = Path(settings.DATA_DIR) / "index"
    version = path / VERSION_FILE
    if not path.exists() or not any(path.iterdir()):
        return 0
    found = version.read_text().strip() if version.exists() else "?"
    if found == str(SCHEMA_VERSION):
        return 0
    aside = path.with_name(f"index.schema-{found}.{int(time.time())}")
    path.rename(aside)
    print(
        f"the index at {path} has schema version {found}, this code needs {SCHEMA_VERSION}: moved it "
        f"to {aside}; rebuild it from the crawl archive with `scrapy reextract`",
        file=out,
    )
    return 3


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m indexer.backends", description="Operator commands for the search backends."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    up = sub.add_parser("upgrade-es", help="move the Elasticsearch alias to this code's mapping version")
    up.add_argument("--dry-run", action="store_true", help="say what would be done, change nothing")
    st = sub.add_parser("status", help="cluster health, alias, indices, document counts, mapping versions")
    st.add_argument("--json", action="store_true", help="the report as JSON")
    sub.add_parser(
        "set-aside-stale",
        help="move an embedded index of an older schema aside (exit 3), to be rebuilt with `scrapy reextract`",
    )
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    try:
        if args.command == "set-aside-stale":
            return set_aside_stale_embedded(settings)
        if args.command == "status":
            return status(settings, args.json)
        return upgrade_es(settings, args.dry_run)
    except BackendError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
