"""Every declared setting can be overridden on Scrapy's command line, under its Scrapy name and
under the environment's spelling CDS_<NAME>, and the component that reads it gets the value.

The crawler is built as ``scrapy crawl`` builds it: the project's settings module, ``-s`` values at
command-line priority, a CrawlerProcess-style runner (pre-crawler add-on hook), then the
crawler's own settings (add-ons). The value each test gives is never the default, so a setting
that is ignored fails. Two end-to-end crawls check the documented spelling on a real run.
"""

from __future__ import annotations

import pytest
from crawltools import FAST, crawl_state, run_scrapy, write_sources
from minisite import ON_TOPIC, MiniSite, article_html, listing_html, source_entry
from scrapy.crawler import AsyncCrawlerRunner
from scrapy.exceptions import NotConfigured, UsageError
from scrapy.settings import Settings as ScrapySettings
from scrapy.utils.test import get_reactor_settings

import crawler.settings as project
from config.settings import SETTINGS, Settings
from crawler.spiders.source import SourceSpider


def other_value(default):
    """A value of the setting's type that is not its default."""
    if isinstance(default, bool):
        return not default
    if isinstance(default, int):
        return default + 3
    if isinstance(default, float):
        return default + 1.5
    if isinstance(default, tuple):
        return (1990, 3) if default and isinstance(default[0], int) else ("alpha", "beta")
    return f"{default}-other" if default else "other"


def as_text(value) -> str:
    """How an operator types it after -s."""
    if isinstance(value, bool):
        return "false" if not value else "true"
    if isinstance(value, tuple):
        return ",".join(str(v) for v in value)
    return str(value)


def build_crawler(cmdline: dict, tmp_path):
    settings = ScrapySettings()
    settings.setdict({k: getattr(project, k) for k in dir(project) if k.isupper()}, priority="project")
    settings.setdict(get_reactor_settings(), priority="project")
    settings.set("CDS_DATA_DIR", str(tmp_path / "data"), priority="cmdline")
    settings.setdict(cmdline, priority="cmdline")
    crawler = AsyncCrawlerRunner(settings).create_crawler(SourceSpider)
    crawler._apply_settings()  # what Crawler.crawl() does first (add-ons, then freeze)
    return crawler


def _rejects(component):
    def read(crawler):
        try:
            component.from_crawler(crawler)
        except NotConfigured:
            return False
        return True

    return read


def _attr(component_path: str, attr: str, convert=lambda v: v):
    def read(crawler):
        module, name = component_path.rsplit(".", 1)
        component = getattr(__import__(module, fromlist=[name]), name)
        return convert(getattr(component.from_crawler(crawler), attr))

    return read


def _enabled(component_path: str):
    def read(crawler):
        module, name = component_path.rsplit(".", 1)
        return _rejects(getattr(__import__(module, fromlist=[name]), name))(crawler)

    return read


MW = "crawler.middlewares"
EXT = "crawler.extensions"
# setting name -> what the component that reads it holds after from_crawler
COMPONENT_READS = {
    "USER_AGENT": _attr("scrapy.downloadermiddlewares.useragent.UserAgentMiddleware", "user_agent"),
    "CRAWL_MAX_DEPTH": _attr("scrapy.spidermiddlewares.depth.DepthMiddleware", "maxdepth"),
    "CRAWL_MAX_PAGES": _attr(
        "scrapy.extensions.closespider.CloseSpider", "close_on", lambda close_on: close_on["pagecount"]
    ),
    "CRAWL_REFRESH_DAYS": _attr(
        f"{MW}.known_urls.KnownUrlMiddleware", "refresh", lambda delta: delta.total_seconds() / 86400
    ),
    "CRAWL_FAILED_ERROR_RATE": _attr(f"{EXT}.run_recorder.RunRecorder", "max_error_rate"),
    "CRAWL_MIN_FREE_MB": _attr(f"{EXT}.disk_guard.DiskGuard", "min_free", lambda b: b / 1e6),
    "CRAWL_WARC": _enabled(f"{EXT}.warc_archive.WarcArchive"),
    "BACKOFF_RETRY_BASE_DELAY": _attr(f"{MW}.backoff_retry.BackoffRetryMiddleware", "base_delay"),
    "BACKOFF_RETRY_MAX_DELAY": _attr(f"{MW}.backoff_retry.BackoffRetryMiddleware", "max_delay"),
    "TRAP_FILTER_ENABLED": _enabled(f"{MW}.traps.TrapFilterMiddleware"),
    "TRAP_FILTER_MAX_URL_LENGTH": _attr(f"{MW}.traps.TrapFilterMiddleware", "max_url_length"),
    "TRAP_FILTER_MAX_SEGMENT_REPEATS": _attr(f"{MW}.traps.TrapFilterMiddleware", "max_repeats"),
    "TRAP_FILTER_MAX_QUERY_PARAMS": _attr(f"{MW}.traps.TrapFilterMiddleware", "max_params"),
    "TRAP_FILTER_SESSION_PARAMS": _attr(
        f"{MW}.traps.TrapFilterMiddleware", "session_params", lambda params: tuple(sorted(params))
    ),
    "CONTENT_TYPE_FILTER_ENABLED": _enabled(f"{MW}.content_type.ContentTypeFilterMiddleware"),
    "KNOWN_URLS_ENABLED": _enabled(f"{MW}.known_urls.KnownUrlMiddleware"),
    "WARC_ARCHIVE_MAX_BYTES": _attr(f"{EXT}.warc_archive.WarcArchive", "max_bytes"),
    "RUN_RECORDER_ENABLED": _enabled(f"{EXT}.run_recorder.RunRecorder"),
    "DISK_GUARD_ENABLED": _enabled(f"{EXT}.disk_guard.DiskGuard"),
    "DISK_GUARD_INTERVAL": _attr(f"{EXT}.disk_guard.DiskGuard", "interval"),
    "DISK_GUARD_RESERVE_BYTES": _attr(f"{EXT}.disk_guard.DiskGuard", "reserve"),
}


def expected_seen(setting, value):
    if setting.name == "TRAP_FILTER_SESSION_PARAMS":
        return tuple(sorted(v.lower() for v in value))
    return value


@pytest.mark.parametrize("spelling", ["key", "env"])
@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_minus_s_reaches_what_reads_the_setting(setting, spelling, tmp_path):
    value = other_value(setting.default)
    if setting.name == "DATA_DIR":
        value = str(tmp_path / "elsewhere")
    name = setting.key if spelling == "key" else setting.env
    crawler = build_crawler({name: as_text(value)}, tmp_path)
    assert crawler.settings[setting.key] == value  # typed, under its key
    assert getattr(Settings.from_scrapy(crawler.settings), setting.name) == value  # what the
    # pipelines, the spider and the commands build from the crawl's settings
    if setting.name in COMPONENT_READS:
        assert COMPONENT_READS[setting.name](crawler) == expected_seen(setting, value)


def test_the_spider_reads_its_settings_from_the_command_line(tmp_path):
    site_free = write_sources(
        tmp_path / "s.yaml",
        [
            {
                "name": "mini",
                "kind": "portal",
                "province": "Tuyên Quang",
                "allowed_domains": ["127.0.0.1"],
                "listings": ["http://127.0.0.1:9/tin-tuc"],
                "article_patterns": [r"/bai/\d+\.html$"],
            }
        ],
    )
    crawler = build_crawler(
        {
            "CDS_SOURCES_FILE": str(site_free),
            "CDS_CRAWL_RETRY_BASE_SECONDS": "7",
            "DEBTS_RETRY_MAX_SECONDS": "70",
            "CDS_CRAWL_RESUME": "off",
        },
        tmp_path,
    )
    spider = SourceSpider.from_crawler(crawler, source="mini")
    try:
        assert spider.config_error == ""
        assert (spider.retry_base, spider.retry_max, spider._jobdir) == (7.0, 70.0, "")
    finally:
        spider.closed("finished")


def test_derived_scrapy_settings_follow_the_overridden_ones(tmp_path):
    crawler = build_crawler({"CDS_CRAWL_DELAY": "0.25", "DOWNLOAD_MAXSIZE": "1000"}, tmp_path)
    assert crawler.settings.getfloat("DOWNLOAD_DELAY") == 0.25
    assert crawler.settings.getfloat("AUTOTHROTTLE_START_DELAY") == 0.25
    assert crawler.settings.getint("DOWNLOAD_WARNSIZE") == 1000
    explicit = build_crawler({"CDS_CRAWL_DELAY": "0.25", "AUTOTHROTTLE_START_DELAY": "3"}, tmp_path)
    assert explicit.settings.getfloat("AUTOTHROTTLE_START_DELAY") == 3.0


@pytest.mark.parametrize(
    "given, named",
    [
        ("CDS_CRAWL_WARC=flase", "CDS_CRAWL_WARC, that is WARC_ARCHIVE_ENABLED, = 'flase' is not a valid bool"),
        (
            "CDS_CRAWL_INDEX_BATCH=ten",
            "CDS_CRAWL_INDEX_BATCH, that is INDEX_PIPELINE_BATCH_SIZE, = 'ten' is not a valid int",
        ),
        ("TRAP_FILTER_YEAR_RANGE=x,1", "TRAP_FILTER_YEAR_RANGE = 'x,1' is not a valid comma"),
        ("DISK_GUARD_ENABLED=maybe", "DISK_GUARD_ENABLED = 'maybe' is not a valid bool"),
    ],
)
def test_a_mistyped_value_is_refused_naming_the_setting(given, named, tmp_path):
    name, raw = given.split("=")
    with pytest.raises(UsageError, match=named):
        build_crawler({name: raw}, tmp_path)


@pytest.mark.parametrize("setting", [s for s in SETTINGS if s.name != s.key], ids=lambda s: s.name)
def test_the_bare_product_name_is_refused_not_ignored(setting, tmp_path):
    """Scrapy ignores an unknown -s name: -s CRAWL_WARC=false would silently archive anyway."""
    with pytest.raises(UsageError, match=f"{setting.name} is not a Scrapy setting: use -s {setting.key}="):
        build_crawler({setting.name: as_text(other_value(setting.default))}, tmp_path)


@pytest.fixture
def site():
    s = MiniSite().start()
    for n in range(6):
        s.add(f"/bai/{n}.html", article_html(f"Chuyển đổi số: bài {n}", ON_TOPIC))
    s.add("/tin-tuc", listing_html([f"/bai/{n}.html" for n in range(6)]))
    yield s
    s.stop()


def test_scrapy_crawl_takes_the_documented_cds_spelling(site, tmp_path):
    """A real run: -s CDS_CRAWL_WARC=false archives nothing, -s CDS_CRAWL_MAX_PAGES=3 stops the
    run at the page limit, and a mistyped -s value stops the command before any fetch."""
    sources = write_sources(tmp_path / "s.yaml", [source_entry(site, listings=[site.url("/tin-tuc")])])
    proc = run_scrapy(
        "crawl",
        "source",
        "-a",
        "source=mini",
        *FAST,
        "-s",
        "CDS_CRAWL_WARC=false",
        "-s",
        "CDS_CRAWL_MAX_PAGES=3",
        "-s",
        "CONCURRENT_REQUESTS=1",
        data_dir=tmp_path / "d",
        sources=sources,
        check=False,
    )
    assert "(closespider_pagecount)" in proc.stderr, proc.stderr[-3000:]
    assert not (tmp_path / "d" / "warc").exists()
    assert crawl_state(tmp_path / "d").runs("mini")[0]["reason"] == "closespider_pagecount"

    bad = run_scrapy(
        "crawl",
        "source",
        "-a",
        "source=mini",
        "-s",
        "CDS_CRAWL_INDEX_BATCH=ten",
        data_dir=tmp_path / "d2",
        sources=sources,
        check=False,
    )
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert "CDS_CRAWL_INDEX_BATCH, that is INDEX_PIPELINE_BATCH_SIZE, = 'ten' is not a valid int" in bad.stderr


def test_every_setting_a_component_reads_is_declared_once_without_a_repeated_default():
    """A component reads only settings declared in config/settings.py (or Scrapy's own), and never
    repeats the default: ``getfloat("X", 0.8)`` would hide a missing declaration."""
    import ast
    from pathlib import Path

    from scrapy.settings import default_settings

    import crawler as package

    keys = [s.key for s in SETTINGS]
    assert len(keys) == len(set(keys)) and len({s.name for s in SETTINGS}) == len(SETTINGS)
    scrapy_own = {n for n in dir(default_settings) if n.isupper()}
    read, defaulted = set(), []
    for path in Path(package.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = None
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("get", "getint", "getfloat", "getbool", "getlist", "getdict")
                and ast.unparse(node.func.value) != "os.environ"  # the process's, not a setting
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                name = node.args[0].value
                if len(node.args) > 1 and name.isupper():
                    defaulted.append(f"{path.name}: {name}")
            elif (
                isinstance(node, ast.Subscript)
                and isinstance(node.slice, ast.Constant)
                and isinstance(node.slice.value, str)
                and "settings" in ast.unparse(node.value).lower()
            ):
                name = node.slice.value
            elif (
                isinstance(node, ast.Subscript)
                and ast.unparse(node.value) == "s"
                and isinstance(node.slice, ast.Constant)
                and isinstance(node.slice.value, str)
            ):
                name = node.slice.value
            if name and name.isupper() and name.replace("_", "").isalnum():
                read.add(name)
    assert defaulted == []
    assert read - set(keys) - scrapy_own == set()
    assert {"INDEX_PIPELINE_BATCH_SIZE", "CDS_DATA_DIR", "TRAP_FILTER_MAX_URL_LENGTH"} <= read  # it sees reads


def test_scrapy_settings_prints_what_a_crawl_would_use(tmp_path):
    shown = run_scrapy(
        "settings", "--get", "INDEX_PIPELINE_BATCH_SIZE", "-s", "CDS_CRAWL_INDEX_BATCH=10", data_dir=tmp_path / "d"
    )
    assert shown.stdout.strip() == "10"
    derived = run_scrapy(
        "settings", "--get", "AUTOTHROTTLE_START_DELAY", "-s", "DOWNLOAD_DELAY=0.3", data_dir=tmp_path / "d"
    )
    assert derived.stdout.strip() == "0.3"
