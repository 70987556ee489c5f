"""Elasticsearch's own REST specification as JSON schemas our request bodies are checked against.

The slice comes from elastic/elasticsearch-specification (``scripts/refresh_es_spec.py`` writes it,
``SOURCE.json`` beside it names branch and commit): the published OpenAPI schemas of the request
bodies, plus annotations of the TypeScript sources that the published JSON drops. As published
the schemas are both too loose and too strict, so :class:`Spec` applies these corrections (each one
can be switched off, and test_es_spec.py shows each one failing without it and passing with it):

``close``      An object the specification defines by its properties accepts no other key
               (``unevaluatedProperties: false``; published, every object is open, so an unknown
               query or a misspelt option passes). A class with an ``AdditionalProperty`` behaviour
               (``SortOptions``: ``{"<field>": FieldSort}``, ``TermsQuery``: ``{"<field>": [...]}``)
               takes its extra key with that behaviour's value schema instead. A variant container
               with container properties (an aggregation with ``aggs``/``meta``) needs exactly one
               variant key, counting the variants only (published: at most one key in all).
``aliases``    ``@aliases`` restored: ``aggs`` for ``aggregations`` (published, ``aggs`` is an
               unknown key, so with ``close`` a whole aggregation tree is refused, and without it
               the tree goes unchecked), ``include``/``exclude`` for ``_source``...
``shortcuts``  ``@shortcut_property`` restored: ``{"term": {"caps": "ai"}}`` is the short form of
               ``{"term": {"caps": {"value": "ai"}}}``, ``_source: ["article"]`` of
               ``{"includes": [...]}``, ``{"match_phrase": {"f": "text"}}``, ``{"f": "desc"}`` sorts.
``any_of``     ``oneOf`` read as ``anyOf``: the TypeScript unions it comes from are unions, not
               exclusive choices (``{"gte": 1, "format": "epoch_second"}`` matches several
               ``range`` forms, so ``oneOf`` refuses it).

``generics``   A generic base referenced as is (``UntypedRangeQuery`` extends
               ``RangeQueryBase<UserDefinedValue>``) takes any value for the members typed by its
               parameter (published: ``{"type": "object"}``, so ``{"gte": 1672506000}`` is refused).
``boolean_enums`` An enum marked ``@es_quirk This is a boolean that evolved into an enum`` takes
               ``true``/``false`` too (``mappings.dynamic: false``; published: strings only).

OpenAPI 3.0's ``nullable`` becomes a JSON-schema ``null`` alternative (a translation, not a fix).
Validation uses jsonschema-rs (draft 2020-12, which has ``unevaluatedProperties``).
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs

ROOT = Path(__file__).resolve().parents[3]
CORRECTIONS = ("close", "aliases", "shortcuts", "any_of", "generics", "boolean_enums")
MAJORS = (8, 9)
REF = "#/components/schemas/"
# Keys of the OpenAPI file that carry no constraint: dropped to keep the compiled schema small.
DOC_KEYS = {
    "description",
    "externalDocs",
    "examples",
    "example",
    "x-state",
    "deprecated",
    "default",
    "x-from-typescript",
    "title",
    "discriminator",
    "x-variant",
}


def spec_dir() -> Path | None:
    """CDS_ES_SPEC_DIR (a refreshed slice being tried), else tests/fixtures/es-spec (committed)."""
    for d in (os.environ.get("CDS_ES_SPEC_DIR"), ROOT / "tests" / "fixtures" / "es-spec"):
        if d and all((Path(d) / f"es{m}.json").is_file() for m in MAJORS):
            return Path(d)
    return None


@cache
def load_slice(major: int) -> dict:
    d = spec_dir()
    if d is None:
        raise FileNotFoundError("no Elasticsearch specification slice (run scripts/refresh_es_spec.py)")
    return json.loads((d / f"es{major}.json").read_text(encoding="utf-8"))


def request_key(cls: str) -> str | None:
    """``_global.search.Request`` -> ``search``; ``indices.create.Request`` -> ``indices.create``."""
    if not cls.endswith(".Request"):
        return None
    ns = cls[: -len(".Request")]
    return ns[len("_global.") :] if ns.startswith("_global.") else ns


class Spec:
    """The request-body schemas of one Elasticsearch major, with the chosen corrections."""

    def __init__(self, major: int, corrections: tuple[str, ...] | frozenset[str] = CORRECTIONS) -> None:
        unknown = set(corrections) - set(CORRECTIONS)
        if unknown:
            raise ValueError(f"unknown corrections {sorted(unknown)}")
        self.major, self.fix = major, frozenset(corrections)
        self.raw = load_slice(major)
        self.source = self.raw["source"]
        self._defs: dict[str, Any] | None = None
        self._validators: dict[str, Any] = {}

    # -- building the schemas ---------------------------------------------------------------------
    def _has_props(self, node: Any, depth: int = 0) -> bool:
        if not isinstance(node, dict) or depth > 8:
            return False
        if "properties" in node and "additionalProperties" not in node:
            return True
        if "$ref" in node:
            return self._has_props(self.raw["schemas"].get(node["$ref"][len(REF) :]), depth + 1)
        return any(self._has_props(p, depth + 1) for p in node.get("allOf", []))

    def _ref(self, ref: str, open_: bool) -> str:
        name = ref[len(REF) :]
        return f"#/$defs/{name}~open" if open_ else f"#/$defs/{name}"

    def _tx(self, node: Any, open_: bool = False, extra: Any = False) -> Any:
        """One OpenAPI schema node -> JSON schema 2020-12 with the corrections. ``open_``: the node
        is one part of an allOf (the allOf node closes over all its parts); ``extra``: what a
        closed node accepts beyond its properties (False, or a behaviour's value schema)."""
        if isinstance(node, list):
            return [self._tx(n) for n in node]
        if not isinstance(node, dict):
            return node
        out: dict[str, Any] = {}
        for k, v in node.items():
            if k in DOC_KEYS or k == "nullable":
                continue
            if k == "$ref":
                out[k] = self._ref(v, open_)
            elif k == "allOf":
                many = len(v) > 1
                out[k] = [self._tx(p, open_=many) for p in v]
            elif k == "oneOf":
                out["anyOf" if "any_of" in self.fix else "oneOf"] = [self._tx(p) for p in v]
            elif k in ("anyOf", "prefixItems"):
                out[k] = [self._tx(p) for p in v]
            elif k == "properties":
                out[k] = {name: self._tx(p) for name, p in v.items()}
            elif k in ("items", "additionalProperties", "not") and isinstance(v, dict):
                out[k] = self._tx(v)
            else:
                out[k] = v
        if (
            "close" in self.fix
            and not open_
            and "additionalProperties" not in node
            and ("properties" in node or (len(node.get("allOf", [])) > 1 and self._has_props(node)))
        ):
            out["unevaluatedProperties"] = self._tx(extra) if isinstance(extra, dict) else False
        if node.get("nullable"):
            out = {"anyOf": [out, {"type": "null"}]}
        return out

    def _patched(self, name: str, schema: dict) -> dict:
        """The component or request schema with aliases and generic members fixed (before translation)."""
        aliases = self.raw["aliases"].get(name, {}) if "aliases" in self.fix else {}
        generic = self.raw["generics"].get(name, []) if "generics" in self.fix else []
        if "boolean_enums" in self.fix and name in self.raw["boolean_enums"]:
            return {"anyOf": [schema, {"type": "boolean"}]}
        if not aliases and not generic:
            return schema
        schema = json.loads(json.dumps(schema))
        for part in [schema, *schema.get("allOf", [])]:
            for prop in generic:
                if isinstance(part, dict) and prop in part.get("properties", {}):
                    part["properties"][prop] = {}
        for part in [schema, *schema.get("allOf", [])]:
            props = part.get("properties", {}) if isinstance(part, dict) else {}
            for prop, names in aliases.items():
                if prop in props:
                    for alias in names:
                        props.setdefault(alias, props[prop])
        return schema

    def _shortcut(self, name: str, schema: dict, built: dict) -> dict:
        prop = self.raw["shortcuts"].get(name) if "shortcuts" in self.fix else None
        if not prop:
            return built
        for part in [schema, *schema.get("allOf", [])]:
            if isinstance(part, dict) and prop in part.get("properties", {}):
                return {"anyOf": [built, self._tx(part["properties"][prop])]}
        raise KeyError(f"{name}: shortcut property {prop!r} not found")

    def _container(self, name: str, schema: dict) -> dict:
        """Exactly one variant key, container properties (aggs, meta) not counted."""
        if "close" not in self.fix or name not in self.raw["containers"] or "allOf" not in schema:
            return schema
        schema = json.loads(json.dumps(schema))
        for part in schema["allOf"]:
            if part.get("maxProperties") == 1:
                variants = sorted(part["properties"])
                part.pop("maxProperties"), part.pop("minProperties", None)
                schema["x-exactly-one"] = variants
        return schema

    def defs(self) -> dict[str, Any]:
        if self._defs is None:
            defs: dict[str, Any] = {}
            behaviours = self.raw["behaviours"] if "close" in self.fix else {}
            for name, schema in self.raw["schemas"].items():
                schema = self._container(name, self._patched(name, schema))
                one = schema.pop("x-exactly-one", None)
                defs[f"{name}~open"] = self._tx(schema, open_=True)
                closed = self._tx(schema, extra=behaviours.get(name, False))
                if one:
                    closed["oneOf"] = [{"required": [v]} for v in one]
                defs[name] = self._shortcut(name, schema, closed)
            self._defs = defs
        return self._defs

    def request_schema(self, request: str) -> dict:
        """``request``: a key of SOURCE endpoints (``search``, ``indices.create``...) or
        ``bulk.action`` (one action line of a bulk body: the spec's OperationContainer)."""
        if request == "bulk.action":
            root: dict = {"$ref": "#/$defs/_global.bulk.OperationContainer"}
        else:
            cls = "_global." + request if "." not in request else request
            root = self._tx(self._patched(f"{cls}.Request", self.raw["requests"][request]))
        return {"$schema": "https://json-schema.org/draft/2020-12/schema", **root, "$defs": self.defs()}

    # -- validating ---------------------------------------------------------------------------
    def validator(self, request: str):
        if request not in self._validators:
            self._validators[request] = jsonschema_rs.Draft202012Validator(self.request_schema(request))
        return self._validators[request]

    def errors(self, request: str, body: Any) -> list[str]:
        """Every violation, as ``<path>: <message>`` (empty when the body is valid)."""
        return [
            f"/{'/'.join(map(str, e.instance_path))}: {e.message}"[:400]
            for e in self.validator(request).iter_errors(body)
        ]

    def is_valid(self, request: str, body: Any) -> bool:
        return self.validator(request).is_valid(body)


@cache
def spec(major: int, corrections: frozenset[str] = frozenset(CORRECTIONS)) -> Spec:
    return Spec(major, corrections)
