"""request.meta keys live in crawler/meta.py: no component spells one itself, and each is both
written and read (a key only written, or only read, is a protocol with one side missing)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import crawler.meta as meta

CRAWLER = Path(meta.__file__).resolve().parent
KEY_SHAPE = re.compile(r"^cds_[a-z_]+$")
KEYS = {name: value for name, value in vars(meta).items() if name.isupper() and isinstance(value, str)}


def modules():
    return [p for p in CRAWLER.rglob("*.py") if p.name != "meta.py"]


def test_no_component_spells_a_meta_key():
    spelled = [
        f"{p.relative_to(CRAWLER)}:{node.lineno} {node.value!r}"
        for p in modules()
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and KEY_SHAPE.match(node.value)
    ]
    assert spelled == []


def test_every_key_is_documented_unique_and_used_by_a_writer_and_a_reader():
    assert len(set(KEYS.values())) == len(KEYS)
    source = ast.parse(Path(meta.__file__).read_text(encoding="utf-8"))
    documented = {
        node.targets[0].id
        for node, doc in zip(source.body, source.body[1:])
        if isinstance(node, ast.Assign)
        and isinstance(doc, ast.Expr)
        and re.search(r"Written\s+by", doc.value.value)
        and re.search(r"\b[Rr]ead\b", doc.value.value)
    }
    assert documented == set(KEYS)
    for name in KEYS:
        users = [p for p in modules() if re.search(rf"\b{name}\b", p.read_text(encoding="utf-8"))]
        assert users, f"{name} is declared but no component uses it"
