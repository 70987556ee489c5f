"""The project's packages import each other in one direction only, and no module imports itself
back through others.

Layers, bottom up: ``config`` (settings, sources file, redaction) imports nothing of ours;
``indexer`` imports config; ``crawler`` and ``search_ui`` import indexer and config, and never
each other, with one exception: the UI's /healthz reads the crawl's records (crawl state, source
health, run locks) through the crawler's own readers, which import no Scrapy; ``demoweb`` (the
test web) imports at most config and indexer. The graph is read from the
source with ast, including imports inside functions: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("config", "indexer", "crawler", "search_ui", "demoweb")
MAY_IMPORT = {
    "config": set(),
    "indexer": {"config"},
    "crawler": {"config", "indexer"},
    "search_ui": {"config", "indexer"},
    "demoweb": {"config", "indexer"},
}
# modules of a higher layer a package may still import (see the docstring)
ALSO = {"search_ui": {"crawler.crawl_state", "crawler.source_health", "crawler.job_state"}}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def graph() -> dict[str, set[str]]:
    files = {module_name(p): p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")}
    edges: dict[str, set[str]] = {m: set() for m in files}
    for name, path in files.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*up, base] if base else up)
                targets = [f"{base}.{a.name}" for a in node.names] + [base]
            for target in targets:
                # the longest project module the import names (``from indexer import dates``)
                while target and target not in files:
                    target = target.rpartition(".")[0]
                # a module's own packages are imported with it: not a dependency
                if target and target != name and not name.startswith(target + "."):
                    edges[name].add(target)
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycle():
    assert cycles(graph()) == []


def test_packages_import_only_the_layers_below():
    wrong = sorted(
        f"{a} -> {b}"
        for a, targets in graph().items()
        for b in targets
        if b.split(".")[0] != a.split(".")[0]
        and b.split(".")[0] not in MAY_IMPORT[a.split(".")[0]]
        and b not in ALSO.get(a.split(".")[0], ())
    )
    assert wrong == []


def test_the_crawl_records_the_ui_reads_need_no_scrapy():
    edges = graph()
    for name in ALSO["search_ui"]:
        source = (ROOT / (name.replace(".", "/") + ".py")).read_text(encoding="utf-8")
        imported = {n.module or "" for n in ast.walk(ast.parse(source)) if isinstance(n, ast.ImportFrom)}
        imported |= {a.name for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Import) for a in n.names}
        assert not {m for m in imported if m.split(".")[0] in ("scrapy", "twisted")}, name
        assert edges[name] <= ALSO["search_ui"] | {m for m in edges if m.split(".")[0] in ("config", "indexer")}, name


def test_the_graph_is_read():
    """The checks above could pass on an empty graph: make sure they see known edges."""
    edges = graph()
    assert "config.settings" in edges["crawler.settings"]
    assert "indexer.dates" in edges["indexer.page_dates"]


def test_a_failed_import_of_our_own_module_is_never_swallowed():
    """An import of the project's own code that fails is a bug to see, not a feature to turn off
    quietly (de-duplication once went off without a word when one did)."""
    swallowed = []
    for pkg in PACKAGES:
        for path in (ROOT / pkg).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Try):
                    continue
                ours = [
                    n
                    for stmt in node.body
                    for n in ast.walk(stmt)
                    if (isinstance(n, ast.ImportFrom) and (n.level or (n.module or "").split(".")[0] in PACKAGES))
                    or (isinstance(n, ast.Import) and any(a.name.split(".")[0] in PACKAGES for a in n.names))
                ]
                catches = {ast.unparse(h.type) if h.type else "everything" for h in node.handlers}
                if ours and catches & {
                    "ImportError",
                    "ModuleNotFoundError",
                    "Exception",
                    "BaseException",
                    "everything",
                    "(ImportError, ModuleNotFoundError)",
                }:
                    swallowed.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert swallowed == []
