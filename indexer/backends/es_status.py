"""What an operator asks first of the Elasticsearch behind CĐS Radar, in one report.

``python -m indexer.backends status`` prints it: the cluster (name, version, health, nodes), the
alias ``ES_INDEX`` and every index behind it with its document count and mapping version, and
what this code would do with it (:func:`es_versions.alias_plan`: ready, create, upgrade, refuse).
Collected with read-only calls (info, cluster health, alias lookup, count); kept apart from the
backend so the report's wording is a pure function of what the cluster said.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from elasticsearch import NotFoundError

from indexer.backends.es_versions import CREATE, READY, UPGRADE, alias_plan, index_version

# Exit codes of `status`: 0 the alias serves this code's mapping; 3 something for the operator to
# do (create happens on the first crawl; upgrade-es; or a refusal to read); 1 (the CLI) unreachable.
OK, ACTION_NEEDED = 0, 3


def collect(client, alias: str, mapping_version: int, call: Callable[..., Any]) -> dict[str, Any]:
    """``call(what, fn, **kw)`` runs one client call (the backend's ``_call``: errors become BackendError)."""
    info = call("cluster info", client.info)
    health = call("cluster health", client.cluster.health)
    try:
        behind: list[str] | None = sorted(call("alias lookup", client.indices.get_alias, name=alias))
    except NotFoundError:
        behind = None
    concrete = behind is None and bool(call("index check", client.indices.exists, index=alias))
    indices = []
    for name in behind or ([alias] if concrete else []):
        count = call("count", client.count, index=name)["count"]
        indices.append({"index": name, "documents": int(count), "mapping_version": index_version(alias, name)})
    plan = alias_plan(alias, behind, concrete, mapping_version)
    return {
        "cluster": {
            "name": info.get("cluster_name"),
            "version": info.get("version", {}).get("number"),
            "health": health.get("status"),
            "nodes": health.get("number_of_nodes"),
            "unassigned_shards": health.get("unassigned_shards", 0),
        },
        "alias": alias,
        "alias_exists": behind is not None,
        "indices": indices,
        "code_mapping_version": mapping_version,
        "action": plan.action,
        "message": plan.message,
    }


def format_status(status: dict[str, Any], url: str) -> str:
    c = status["cluster"]
    lines = [
        f"Elasticsearch at {url}: cluster {c['name']} (version {c['version']}), health {c['health']}, "
        f"{c['nodes']} node(s)" + (f", {c['unassigned_shards']} unassigned shard(s)" if c["unassigned_shards"] else "")
    ]
    alias = status["alias"]
    if status["alias_exists"]:
        lines.append(f"alias {alias} -> " + (", ".join(i["index"] for i in status["indices"]) or "no index"))
    elif status["indices"]:
        lines.append(f"{alias} is a concrete index, not an alias")
    else:
        lines.append(f"alias {alias}: not there (no index yet)")
    for i in status["indices"]:
        version = (
            f"mapping v{i['mapping_version']}" if i["mapping_version"] else "mapping unknown (not made by CĐS Radar)"
        )
        lines.append(f"  {i['index']}: {i['documents']:,} document(s), {version}")
    want = status["code_mapping_version"]
    verdict = {
        READY: f"this code's mapping v{want}: ready",
        CREATE: f"this code's mapping v{want}: the first crawl creates {alias}-v{want} behind {alias}",
        UPGRADE: f"this code's mapping v{want}: upgrade needed: {status['message']}",
    }
    lines.append(verdict.get(status["action"], f"this code's mapping v{want}: refused: {status['message']}"))
    return "\n".join(lines)


def exit_code(status: dict[str, Any]) -> int:
    return OK if status["action"] == READY else ACTION_NEEDED
