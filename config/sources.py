"""Load and validate ``sources.yaml``: one entry per portal or paper to crawl.

A bad entry gets a :class:`SourceError` naming the source and the field; the other sources still
load (``load_sources(..., errors=list)`` collects the errors instead of raising).
``${DEMO_PORT}`` and other ``${NAME}`` placeholders are filled from settings, so the demo web
can run on any port.

``name`` is the source's id (crawl state, the index's ``source`` facet, ``-a source=``) and never
changes; ``title`` (optional) is the name journalists know it by ("Báo Diễn đàn Doanh nghiệp"),
shown in the UI, the CSV and the API, and may be reworded freely.

Every key must be known: a typo such as ``article_pattern:`` would otherwise leave the source
without article patterns (every sitemap entry an article), so it is refused with the closest known
key. ``evidence``/``verification`` record where the source's URL shapes were seen and what that
showed (see the header of config/sources.yaml); an ``unverified`` source may not be scheduled.
"""

from __future__ import annotations

import difflib
import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from config.selectors import SelectorError, compile_selector

KINDS = ("portal", "press", "partner")
SELECTOR_KEYS = ("title", "body", "date", "author", "lead", "remove")  # what extraction reads
EVIDENCE_KINDS = ("article", "listing", "feed", "sitemap")
EVIDENCE_KEYS = ("url", "kind", "seen", "expected_miss")
VERIFICATION = ("verified", "contradicted", "unverified")


class SourceError(ValueError):
    def __init__(self, source: str, field_name: str, message: str) -> None:
        super().__init__(f"source {source!r}: field {field_name!r}: {message}")
        self.source = source
        self.field = field_name


class SourcesFileError(ValueError):
    """The sources file as a whole cannot be used (missing, not YAML, not a ``sources:`` list, an
    unknown ``${PLACEHOLDER}``): one line naming the file, the line and the problem."""

    def __init__(self, path: str | Path, line: int | None, problem: str) -> None:
        where = f"{path}, line {line}" if line else f"{path}"
        super().__init__(f"sources file {where}: {problem}")
        self.path, self.line, self.problem = str(path), line, problem


def _read_file(path: str | Path, variables: dict[str, Any] | None) -> dict:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SourcesFileError(path, None, "no such file (CDS_SOURCES_FILE names the sources file)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SourcesFileError(path, None, f"cannot be read: {exc}") from None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = " ".join(filter(None, (getattr(exc, "context", None), getattr(exc, "problem", None))))
        raise SourcesFileError(path, mark.line + 1 if mark else None, f"not valid YAML: {problem or exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict) or not isinstance(data.get("sources", []), list):
        line = root.start_mark.line + 1 if root is not None else 1
        what = type(data.get("sources") if isinstance(data, dict) else data).__name__
        raise SourcesFileError(
            path,
            line,
            f"expected a mapping with a 'sources:' list at the top "
            f"level, found a {what} ('sources:' then '- name: ...')",
        )
    if variables is not None:
        _check_placeholders(path, root, set(variables))
    return data


def _check_placeholders(path, node, known: set[str]) -> None:
    """An unknown ``${NAME}`` would reach the crawl as a literal URL: name it and its line."""
    if isinstance(node, yaml.ScalarNode):
        for m in string.Template.pattern.finditer(node.value):
            name = m.group("named") or m.group("braced")
            if name and name not in known:
                close = difflib.get_close_matches(name, sorted(known), n=1)
                hint = f" (did you mean ${{{close[0]}}}?)" if close else ""
                raise SourcesFileError(path, node.start_mark.line + 1, f"unknown placeholder ${{{name}}}{hint}")
    elif isinstance(node, yaml.SequenceNode):
        for child in node.value:
            _check_placeholders(path, child, known)
    elif isinstance(node, yaml.MappingNode):
        for _key, value in node.value:
            _check_placeholders(path, value, known)


@dataclass
class Source:
    name: str  # id: stable, used in URLs, state and the index
    kind: str  # portal / press / partner
    allowed_domains: list[str]
    start_urls: list[str] = field(default_factory=list)
    province: str = ""  # the source's own (legacy) province, if any
    sitemaps: list[str] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)
    listings: list[str] = field(default_factory=list)  # listing pages (first page)
    article_patterns: list[str] = field(default_factory=list)  # regexes on article URLs
    pagination_patterns: list[str] = field(default_factory=list)
    selectors: dict[str, str] = field(default_factory=dict)  # title/body/date/author CSS or XPath
    schedule: str = ""  # cron expression for `schedule`
    max_pages: int = 0  # pages per run for this source (0: the global limit)
    download_delay: float | None = None  # seconds between requests (None: the global delay)
    title: str = ""  # what readers call it: "Cổng TTĐT tỉnh Thanh Hóa"
    # what public material shows of the site: [{url, kind, seen, expected_miss?}]
    evidence: list[dict[str, str]] = field(default_factory=list)
    verification: str = ""  # verified / contradicted (and fixed) / unverified
    verification_note: str = ""  # what the evidence contradicted, what changed
    extra: dict[str, Any] = field(default_factory=dict)


def _expand(value: Any, variables: dict[str, Any]) -> Any:
    if isinstance(value, str):
        return string.Template(value).safe_substitute(variables)
    if isinstance(value, list):
        return [_expand(v, variables) for v in value]
    if isinstance(value, dict):
        return {k: _expand(v, variables) for k, v in value.items()}
    return value


def parse_source(raw: Any, variables: dict[str, Any] | None = None) -> Source:
    if not isinstance(raw, dict):
        raise SourceError("?", "-", "each source must be a mapping")
    name = raw.get("name")
    if not name or not isinstance(name, str):
        raise SourceError(str(name), "name", "required, a non-empty string")
    raw = _expand(raw, variables or {})
    _check_keys(name, raw)
    kind = raw.get("kind")
    if kind not in KINDS:
        raise SourceError(name, "kind", f"must be one of {', '.join(KINDS)}, got {kind!r}")
    domains = raw.get("allowed_domains")
    if not domains or not isinstance(domains, list):
        raise SourceError(name, "allowed_domains", "required, a list of host names")
    for key in ("start_urls", "sitemaps", "feeds", "listings", "article_patterns", "pagination_patterns"):
        if not isinstance(raw.get(key, []), list):
            raise SourceError(name, key, "must be a list")
    if not (raw.get("start_urls") or raw.get("sitemaps") or raw.get("feeds") or raw.get("listings")):
        raise SourceError(name, "start_urls", "a source needs start_urls, sitemaps, feeds or listings")
    _check_values(name, raw)
    known = {f for f in Source.__dataclass_fields__ if f != "extra"}
    if isinstance(raw.get("title"), str):
        raw["title"] = " ".join(raw["title"].split())
    return Source(
        **{k: v for k, v in raw.items() if k in known}, extra={k: v for k, v in raw.items() if k not in known}
    )


def _closest(key: str, known) -> str:
    match = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
    return f"; did you mean {match[0]!r}?" if match else f"; known keys: {', '.join(sorted(known))}"


def _check_keys(name: str, raw: dict) -> None:
    """A misspelt key must not pass silently: ``article_pattern:`` would leave the source with no
    article patterns, and every link of its sitemaps would be taken for an article."""
    known = [f for f in Source.__dataclass_fields__ if f != "extra"]
    for key in raw:
        if key not in known:
            raise SourceError(name, str(key), "unknown key" + _closest(str(key), known))


def _check_values(name: str, raw: dict) -> None:
    """Catch what would otherwise fail deep inside a crawl: bad URLs, regexes, cron lines."""
    for key in (
        "allowed_domains",
        "start_urls",
        "sitemaps",
        "feeds",
        "listings",
        "article_patterns",
        "pagination_patterns",
    ):
        for i, value in enumerate(raw.get(key) or []):
            if not isinstance(value, str) or not value.strip():
                raise SourceError(name, f"{key}[{i}]", "must be a non-empty string")
    for key in ("start_urls", "sitemaps", "feeds", "listings"):
        for i, url in enumerate(raw.get(key) or []):
            if not re.match(r"https?://[^/\s]+", url):
                raise SourceError(name, f"{key}[{i}]", f"not an http(s) URL: {url!r}")
    for key in ("article_patterns", "pagination_patterns"):
        for i, pattern in enumerate(raw.get(key) or []):
            try:
                re.compile(pattern)
            except re.error as exc:
                raise SourceError(name, f"{key}[{i}]", f"bad regular expression {pattern!r}: {exc}") from None
    selectors = raw.get("selectors", {})
    if not isinstance(selectors, dict) or not all(
        isinstance(v, str) or (k == "remove" and isinstance(v, list) and all(isinstance(x, str) for x in v))
        for k, v in selectors.items()
    ):
        raise SourceError(
            name,
            "selectors",
            "must map a field (title, body, date, author, lead) to a "
            "CSS/XPath string, and remove to one or a list of them",
        )
    for key, selector in selectors.items():
        if key not in SELECTOR_KEYS:
            raise SourceError(name, f"selectors.{key}", "unknown selector" + _closest(str(key), SELECTOR_KEYS))
        for i, one in enumerate([selector] if isinstance(selector, str) else selector):
            try:
                compile_selector(one)
            except SelectorError as exc:
                where = f"selectors.{key}" if isinstance(selector, str) else f"selectors.{key}[{i}]"
                raise SourceError(name, where, str(exc)) from None
    _check_evidence(name, raw)
    schedule = raw.get("schedule", "")
    if schedule:
        from croniter import croniter

        if not isinstance(schedule, str) or not croniter.is_valid(schedule):
            raise SourceError(name, "schedule", f"not a cron expression: {schedule!r}")
    for key, kind in (("max_pages", int), ("download_delay", (int, float))):
        value = raw.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, kind) or value < 0):
            raise SourceError(name, key, "must be a non-negative number")
    if raw.get("province") is not None and not isinstance(raw.get("province"), str):
        raise SourceError(name, "province", "must be a string")
    title = raw.get("title")
    if title is not None and (not isinstance(title, str) or not title.strip()):
        raise SourceError(name, "title", "must be a non-empty string (the name readers know the source by)")


def _check_evidence(name: str, raw: dict) -> None:
    """``evidence``: where the source's URL shapes were seen; ``verification``: what that showed."""
    evidence = raw.get("evidence", [])
    if not isinstance(evidence, list):
        raise SourceError(name, "evidence", "must be a list of {url, kind, seen}")
    for i, item in enumerate(evidence):
        where = f"evidence[{i}]"
        if not isinstance(item, dict):
            raise SourceError(name, where, "must be a mapping {url, kind, seen}")
        for key in item:
            if key not in EVIDENCE_KEYS:
                raise SourceError(name, f"{where}.{key}", "unknown key" + _closest(str(key), EVIDENCE_KEYS))
        if not re.match(r"https?://[^/\s]+", str(item.get("url", ""))):
            raise SourceError(name, f"{where}.url", f"not an http(s) URL: {item.get('url')!r}")
        if item.get("kind") not in EVIDENCE_KINDS:
            raise SourceError(name, f"{where}.kind", f"must be one of {', '.join(EVIDENCE_KINDS)}")
        for key in ("seen", "expected_miss"):
            if key in item and (not isinstance(item[key], str) or not item[key].strip()):
                raise SourceError(name, f"{where}.{key}", "must be a non-empty string")
        if "seen" not in item:
            raise SourceError(name, f"{where}.seen", "required: where the URL was seen, and when")
    state = raw.get("verification", "")
    if state and state not in VERIFICATION:
        raise SourceError(name, "verification", f"must be one of {', '.join(VERIFICATION)}, got {state!r}")
    if state in ("verified", "contradicted") and not evidence:
        raise SourceError(name, "verification", f"{state!r} needs evidence; without any it is 'unverified'")
    note = raw.get("verification_note")
    if note is not None and (not isinstance(note, str) or not note.strip()):
        raise SourceError(name, "verification_note", "must be a non-empty string")
    if state == "contradicted" and not note:
        raise SourceError(name, "verification_note", "say what the evidence contradicted and what was fixed")
    if state == "unverified" and raw.get("schedule"):
        raise SourceError(name, "schedule", "an unverified source is not scheduled: find evidence first")


def load_sources(
    path: str | Path, variables: dict[str, Any] | None = None, errors: list[SourceError] | None = None
) -> list[Source]:
    """Parse every source; with ``errors`` given, bad ones are collected there and skipped. A file
    that cannot be used at all raises :class:`SourcesFileError`."""
    data = _read_file(path, variables)
    out = []
    for raw in data.get("sources", []):
        try:
            source = parse_source(raw, variables)
            if any(s.name == source.name for s in out):
                raise SourceError(source.name, "name", "duplicate source name")
            out.append(source)
        except SourceError as exc:
            if errors is None:
                raise
            errors.append(exc)
    return out
