"""``python -m indexer.backends``: operator commands for the search backends.

    python -m indexer.backends upgrade-es [--dry-run]

``upgrade-es`` moves the Elasticsearch index named by CDS_ES_INDEX (an alias) to this code's
mapping version: it copies every article into ``<CDS_ES_INDEX>-v<N>`` and switches the alias,
keeping the old index as a way back. The backend refuses to write into an older version until
this has run, so a crawl never fills an index whose mapping lacks the fields the code searches.
Stop crawls while it runs; searches keep working. CDS_* variables are read here, at the edge.
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
            what = {READY: f"{backend.alias} already serves {backend.versioned_index}: nothing to do",
                    CREATE: f"no index yet: would create {backend.versioned_index} behind {backend.alias}"}
            print(what.get(plan.action) or plan.message, file=out)
            return 0
        done = backend.upgrade()
    finally:
        backend.close()
    if done["action"] == READY:
        print(f"{backend.alias} already serves {done['index']}: nothing to do", file=out)
    elif done["action"] == CREATE:
        print(f"created {done['index']} behind {backend.alias} (empty)", file=out)
    else:
        print(f"copied {done['copied']} articles into {done['index']}; {backend.alias} now points at it. "
              f"The previous index ({', '.join(done['previous'])}) is kept: delete it once satisfied.", file=out)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m indexer.backends",
                                     description="Operator commands for the search backends.")
    sub = parser.add_subparsers(dest="command", required=True)
    up = sub.add_parser("upgrade-es", help="move the Elasticsearch alias to this code's mapping version")
    up.add_argument("--dry-run", action="store_true", help="say what would be done, change nothing")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    try:
        return upgrade_es(settings, args.dry_run)
    except BackendError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
