#!/usr/bin/env python3
"""Refresh the slice of Elasticsearch's REST specification that tests/indexer/backends/test_es_spec.py
validates our request bodies against.

    python scripts/refresh_es_spec.py GIT_DIR [--ref 9.5 --ref 8.19] [--out DIR]

GIT_DIR is a clone (bare is fine) of github.com/elastic/elasticsearch-specification (Apache-2.0).
For each branch it writes ``es<major>.json``: the request bodies of the endpoints the backend
calls, every component schema they reach, and the annotations of the TypeScript sources that the
published JSON drops (``@aliases``, ``@shortcut_property``, ``@variants container``), which the
test suite turns into its documented corrections. Plus ``LICENSE`` (the repository's) and
``SOURCE.json`` (branch, commit, date, files read).

Why the *serverless* OpenAPI file: the stack ``elasticsearch-openapi.json`` and ``schema.json``
of 8.18 and later are over 4 MiB, too big for the mirrors these machines get; the serverless file
is generated from the same TypeScript sources of the same commit with the same types, minus the
endpoints serverless lacks (none the backend sends a body to). The script refuses a branch whose
file lacks one of those endpoints, rather than writing a partial slice.

Where the output goes: by default ``tests/fixtures/es-spec`` (committed, with the licence);
``--out`` elsewhere to try a slice first with CDS_ES_SPEC_DIR pointing at it.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "tests" / "fixtures" / "es-spec"
OPENAPI = "output/openapi/elasticsearch-serverless-openapi.json"

# Every endpoint the backend sends a body to (indexer/backends/elasticsearch.py, es_versions.py),
# by the specification's name: (path, method) in the OpenAPI file.
ENDPOINTS = {
    "indices.create": ("/{index}", "put"),
    "indices.update_aliases": ("/_aliases", "post"),
    "bulk": ("/_bulk", "post"),
    "search": ("/{index}/_search", "post"),
    "count": ("/{index}/_count", "post"),
    "delete_by_query": ("/{index}/_delete_by_query", "post"),
    "reindex": ("/_reindex", "post"),
    "open_point_in_time": ("/{index}/_pit", "post"),
    "scroll": ("/_search/scroll", "post"),
    "clear_scroll": ("/_search/scroll", "delete"),
    "indices.analyze": ("/{index}/_analyze", "post"),
}
REF = re.compile(r"#/components/(schemas|requestBodies)/(.+)")


def git(git_dir: str, *args: str) -> bytes:
    return subprocess.run(["git", "-C", git_dir, *args], check=True, capture_output=True).stdout


def request_schema(doc: dict, name: str) -> dict:
    path, method = ENDPOINTS[name]
    try:
        body = doc["paths"][path][method]["requestBody"]
    except KeyError:
        raise SystemExit(f"{OPENAPI} has no {method.upper()} {path} ({name}): refusing a partial slice") from None
    if "$ref" in body:
        body = doc["components"]["requestBodies"][REF.match(body["$ref"]).group(2)]
    content = body["content"]
    return (content.get("application/json") or content["application/x-ndjson"])["schema"]


def request_examples(doc: dict, name: str) -> list:
    """The specification's own example bodies of an endpoint (a guard: corrections must keep them valid)."""
    path, method = ENDPOINTS[name]
    body = doc["paths"][path][method]["requestBody"]
    if "$ref" in body:
        body = doc["components"]["requestBodies"][REF.match(body["$ref"]).group(2)]
    out = []
    for content in body["content"].values():
        for ex in content.get("examples", {}).values():
            value = ex.get("value")
            if isinstance(value, str):
                try:
                    value = (
                        json.loads(value) if name != "bulk" else [json.loads(x) for x in value.split("\n") if x.strip()]
                    )
                except ValueError:
                    continue  # an example in another syntax (console comments...)
            out.append(value)
    return out


def reachable(doc: dict, roots: list[dict]) -> dict[str, dict]:
    schemas, seen, todo = doc["components"]["schemas"], {}, list(roots)
    while todo:
        node = todo.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and (m := REF.match(ref)) and m.group(2) not in seen:
                seen[m.group(2)] = schemas[m.group(2)]
                todo.append(schemas[m.group(2)])
            todo.extend(node.values())
        elif isinstance(node, list):
            todo.extend(node)
    return dict(sorted(seen.items()))


# --- annotations of the TypeScript sources ------------------------------------------------------
CLASS = re.compile(r"^\s*export\s+(?:class|interface)\s+(\w+)|^\s*(?:class|interface)\s+(Request)\b")
BEHAVIOUR = re.compile(
    r"class\s+(\w+)[^{]*?implements\s+AdditionalPropert(?:y|ies)<\s*(\w+)\s*,\s*([^>{]+?)\s*>\s*\{", re.S
)
GENERIC = re.compile(r"export\s+class\s+(\w+)<\s*(\w+)[^>]*>[^{]*\{(.*?)\n\}", re.S)
DECL = re.compile(r"^export\s+(class|enum|type)\s+(\w+)\b(.*)$")
PRIMITIVES = {
    "string": {"type": "string"},
    "boolean": {"type": "boolean"},
    "null": {"type": "null"},
    "integer": {"type": "number"},
    "long": {"type": "number"},
    "short": {"type": "number"},
    "byte": {"type": "number"},
    "float": {"type": "number"},
    "double": {"type": "number"},
    "uint": {"type": "number"},
    "ulong": {"type": "number"},
    "UserDefinedValue": {},
}
PROP = re.compile(r"^\s*(\w+)\??\s*:")


def namespace(path: str) -> str:
    """specification/_types/query_dsl/term.ts -> _types.query_dsl; .../_global/search/X.ts -> _global.search"""
    return ".".join(Path(path).parts[1:-1])


def annotations(git_dir: str, commit: str) -> dict:
    """``@aliases``, ``@shortcut_property``, ``@variants container``, ``AdditionalProperty``
    behaviours, members typed by a generic parameter and the boolean ``@es_quirk`` enums, read from the
    TypeScript sources: a regular, line-oriented format, so a line scan suffices (no compiler)."""
    files = [
        f
        for f in git(git_dir, "ls-tree", "-r", "--name-only", commit, "specification").decode().split("\n")
        if f.endswith(".ts")
    ]
    out: dict = {
        "aliases": {},
        "shortcuts": {},
        "containers": [],
        "behaviours": {},
        "declarations": {},
        "generics": {},
        "boolean_enums": [],
    }
    for f in files:
        text = git(git_dir, "show", f"{commit}:{f}").decode()
        ns = namespace(f)
        for m in BEHAVIOUR.finditer(text):
            out["behaviours"][f"{ns}.{m.group(1)}"] = m.group(3)
        _declarations(text, ns, out["declarations"])
        for m in GENERIC.finditer(text):  # RangeQueryBase<T>: the members typed T
            typed = re.findall(rf"^\s*(\w+)\??:\s*{m.group(2)}\s*$", m.group(3), re.M)
            if typed:
                out["generics"][f"{ns}.{m.group(1)}"] = typed
        for m in re.finditer(r"@es_quirk This is a boolean[^/]*?\*/\s*export enum (\w+)", text):
            out["boolean_enums"].append(f"{ns}.{m.group(1)}")
        if "@aliases" not in text and "@shortcut_property" not in text and "@variants container" not in text:
            continue
        ns, doc, cls = namespace(f), [], None
        for line in text.split("\n"):
            stripped = line.strip()
            if stripped.startswith(("/**", "*", "//")) or stripped.endswith("*/"):
                doc.append(stripped)
                continue
            tags = " ".join(doc)
            doc = []
            if m := CLASS.match(line):
                cls = f"{ns}.{m.group(1) or m.group(2)}"
                if sc := re.search(r"@shortcut_property\s+(\w+)", tags):
                    out["shortcuts"][cls] = sc.group(1)
                if "@variants container" in tags:
                    out["containers"].append(cls)
            elif cls and (m := PROP.match(line)) and (al := re.search(r"@aliases\s+([\w, ]+?)\s*(?:\*/|\*|$)", tags)):
                names = [a.strip() for a in al.group(1).split(",") if a.strip()]
                out["aliases"].setdefault(cls, {})[m.group(1)] = names
    return out


def _declarations(text: str, ns: str, into: dict) -> None:
    """Classes (simple ``name?: Type`` members), enums and type unions, by name: the few types an
    ``AdditionalProperty`` behaviour names that the published JSON leaves out (FieldSort...)."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        m = DECL.match(line)
        if not m:
            continue
        kind, name, rest = m.groups()
        if kind == "type":
            stmt = rest.split("=", 1)[1] if "=" in rest else ""
            into.setdefault(name, {"ns": ns, "kind": "type", "union": [t.strip() for t in stmt.split("|")]})
            continue
        body, j = [], i + 1
        while j < len(lines) and not lines[j].startswith("}"):
            body.append(lines[j].strip())
            j += 1
        if kind == "enum":
            members = [
                re.sub(r"\s*=.*$", "", b).rstrip(",").strip("'\"") for b in body if b and not b.startswith(("/", "*"))
            ]
            into.setdefault(name, {"ns": ns, "kind": "enum", "members": members})
        elif "<" not in name and "extends" not in rest:
            props = {}
            for b in body:
                pm = re.match(r"^(\w+)(\??):\s*(.+)$", b)
                if pm:
                    props[pm.group(1)] = {"type": pm.group(3).strip(), "required": not pm.group(2)}
            into.setdefault(name, {"ns": ns, "kind": "class", "props": props})


def _ts_schema(expr: str, decls: dict, schemas: dict, depth: int = 0) -> dict:
    """A JSON schema for a TypeScript type expression of the spec; {} (anything) where it cannot tell."""
    expr = expr.strip()
    if "|" in expr:
        return {"anyOf": [_ts_schema(t, decls, schemas, depth) for t in expr.split("|")]}
    if expr.endswith("[]"):
        return {"type": "array", "items": _ts_schema(expr[:-2], decls, schemas, depth)}
    if expr in PRIMITIVES:
        return PRIMITIVES[expr]
    known = [k for k in schemas if k.rsplit(".", 1)[-1] == expr]
    if len(known) == 1:
        return {"$ref": f"#/components/schemas/{known[0]}"}
    d = decls.get(expr)
    if d is None or depth > 4:
        return {}
    name = f"{d['ns']}.{expr}"
    if name not in schemas:
        if d["kind"] == "enum":
            schemas[name] = {"type": "string", "enum": d["members"], "x-from-typescript": True}
        elif d["kind"] == "type":
            schemas[name] = {}
            schemas[name] = {**_ts_schema(" | ".join(d["union"]), decls, schemas, depth + 1), "x-from-typescript": True}
        else:
            schemas[name] = {}
            schemas[name] = {
                "type": "object",
                "x-from-typescript": True,
                "properties": {p: _ts_schema(v["type"], decls, schemas, depth + 1) for p, v in d["props"].items()},
                "required": [p for p, v in d["props"].items() if v["required"]],
            }
            if not schemas[name]["required"]:
                del schemas[name]["required"]
    return {"$ref": f"#/components/schemas/{name}"}


def refresh(git_dir: str, ref: str, out: Path) -> Path:
    commit = git(git_dir, "rev-parse", f"{ref}^{{commit}}").decode().strip()
    date = git(git_dir, "log", "-1", "--format=%cI", commit).decode().strip()
    doc = json.loads(git(git_dir, "show", f"{commit}:{OPENAPI}"))
    requests = {name: request_schema(doc, name) for name in ENDPOINTS}
    notes = annotations(git_dir, commit)
    schemas = reachable(doc, list(requests.values()))
    # AdditionalProperty behaviours of the kept classes: the value's schema, built from the
    # TypeScript declaration when the published file lacks the type (FieldSort of SortOptions).
    all_schemas = dict(doc["components"]["schemas"])
    behaviours = {}
    for cls, value in sorted(notes["behaviours"].items()):
        if cls in schemas:
            behaviours[cls] = _ts_schema(value, notes["declarations"], all_schemas)
    added = {k: v for k, v in all_schemas.items() if k not in doc["components"]["schemas"]}
    schemas = {**schemas, **added, **reachable({"components": {"schemas": all_schemas}}, list(behaviours.values()))}
    schemas = dict(sorted(schemas.items()))
    # keep only the annotations of what is kept (request classes are keyed <namespace>.Request)
    wanted = set(schemas) | {f"{n if '.' in n else '_global.' + n}.Request" for n in ENDPOINTS}
    notes = {
        "aliases": {k: v for k, v in sorted(notes["aliases"].items()) if k in wanted},
        "shortcuts": {k: v for k, v in sorted(notes["shortcuts"].items()) if k in wanted},
        "containers": sorted(c for c in notes["containers"] if c in wanted),
        "behaviours": behaviours,
        "generics": {k: v for k, v in sorted(notes["generics"].items()) if k in schemas},
        "boolean_enums": sorted(e for e in notes["boolean_enums"] if e in schemas),
    }
    major = int(ref.split(".")[0]) if ref[0].isdigit() else int(doc["info"].get("version", "0").split(".")[0] or 0)
    source = {
        "repository": "https://github.com/elastic/elasticsearch-specification",
        "license": "Apache-2.0",
        "branch": ref,
        "commit": commit,
        "date": date,
        "file": OPENAPI,
        "annotations_from": "specification/**/*.ts (same commit)",
        "endpoints": {n: f"{m.upper()} {p}" for n, (p, m) in ENDPOINTS.items()},
    }
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"es{major}.json"
    examples = {name: request_examples(doc, name) for name in ENDPOINTS}
    target.write_text(
        json.dumps(
            {"source": source, "requests": requests, "schemas": schemas, "examples": examples, **notes},
            ensure_ascii=False,
            indent=1,
            sort_keys=True,
        )
        + "\n",
        encoding="utf-8",
    )
    (out / "LICENSE").write_bytes(git(git_dir, "show", f"{commit}:LICENSE"))
    sources = json.loads((out / "SOURCE.json").read_text()) if (out / "SOURCE.json").exists() else {}
    sources[f"es{major}"] = source
    (out / "SOURCE.json").write_text(json.dumps(sources, indent=2, sort_keys=True) + "\n")
    return target


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("git_dir", help="clone of elastic/elasticsearch-specification")
    ap.add_argument("--ref", action="append", help="branch per major (default: 9.5 and 8.19)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    for ref in args.ref or ["9.5", "8.19"]:
        path = refresh(args.git_dir, ref, args.out)
        print(f"{ref}: {path} ({path.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
