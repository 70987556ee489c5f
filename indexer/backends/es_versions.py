"""Which mapping version an Elasticsearch alias serves, and what the backend may do about it.

The index behind the alias ``ES_INDEX`` is ``<ES_INDEX>-v<MAPPING_VERSION>``. Code with a newer
mapping must not write into an index built with an older one: the new fields would be missing
(``dynamic: false`` ignores them silently) and searches would quietly miss articles. So the
backend refuses, and says how to upgrade. Kept as a pure function of what the cluster reports,
so every case is pinned by a golden test without a cluster (tests/indexer/backends/test_es_versions.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

UPGRADE_COMMAND = "python -m indexer.backends upgrade-es"

CREATE, READY, UPGRADE, REFUSE = "create", "ready", "upgrade", "refuse"


@dataclass(frozen=True)
class AliasPlan:
    action: str  # CREATE | READY | UPGRADE (only upgrade-es does it) | REFUSE (a human must act)
    message: str = ""  # for UPGRADE and REFUSE: what is wrong and what to run


def index_version(alias: str, index: str) -> int | None:
    """``cds-articles-v3`` -> 3 for the alias ``cds-articles``; None for an index we did not name."""
    m = re.fullmatch(re.escape(alias) + r"-v([0-9]{1,6})", index)
    return int(m.group(1)) if m else None


def alias_plan(alias: str, behind_alias: list[str] | None, concrete_exists: bool, version: int) -> AliasPlan:
    """Decide from ``behind_alias`` (the indices the alias points at, None when there is no alias)
    and ``concrete_exists`` (an index, not an alias, named ``alias``)."""
    wanted = f"{alias}-v{version}"
    if behind_alias is None:
        if concrete_exists:
            return AliasPlan(
                REFUSE,
                f"{alias} is a concrete index, not an alias: reindex it into {wanted} and add the alias {alias} to it",
            )
        return AliasPlan(CREATE)
    names = sorted(behind_alias)
    if names == [wanted]:
        return AliasPlan(READY)
    shown = ", ".join(names) or "no index"
    versions = {name: index_version(alias, name) for name in names}
    strangers = [n for n, v in versions.items() if v is None]
    if not names or strangers:
        return AliasPlan(
            REFUSE,
            f"the alias {alias} points at {shown}, not at one {alias}-v<N> index made by "
            f"CĐS Radar: point it at one index (or delete it) before using this code, "
            f"which needs {wanted}",
        )
    newest = max(versions.values())
    if newest > version:
        return AliasPlan(
            REFUSE,
            f"the alias {alias} points at {shown}, built by newer code (mapping v{newest}); "
            f"this code only knows v{version}: deploy the newer code instead of "
            f"writing with this one",
        )
    if newest == version:  # the current index plus older ones: a swap left half done by hand
        return AliasPlan(
            REFUSE,
            f"the alias {alias} points at {shown}: remove the older indices from it so that it points at {wanted} only",
        )
    return AliasPlan(
        UPGRADE,
        f"the alias {alias} points at {shown} (mapping v{newest}); this code needs "
        f"v{version}: stop crawls and run `{UPGRADE_COMMAND}` with the same CDS_ES_URL "
        f"and CDS_ES_INDEX; it copies every article into {wanted} and then switches "
        f"the alias, so searches keep working meanwhile",
    )
