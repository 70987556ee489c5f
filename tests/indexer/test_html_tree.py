"""Source selectors: CSS (with Scrapy's ::text / ::attr) or XPath, checked when sources load."""

from __future__ import annotations

import logging

import pytest

from config.settings import CONFIG_DIR
from config.sources import Source, SourceError, load_sources, parse_source
from indexer.html_tree import parse_html, select, text_of
from indexer.pipeline import build_article

PAGE = """<html><head><meta property="article:published_time" content="2023-04-05T08:30:00+07:00">
</head><body><div class="detail"><h1 class="detail__title">Tiêu đề</h1>
<span class="pub" data-published="05/04/2023 08:30"></span>
<div class="detail__content"><p>Đoạn một.</p><p>Đoạn hai.</p></div></div></body></html>"""


def test_css_xpath_and_scrapy_pseudo_elements():
    tree = parse_html(PAGE)
    assert [text_of(n) for n in select(tree, "div.detail h1.detail__title")] == ["Tiêu đề"]
    assert [text_of(n) for n in select(tree, "//div[@class='detail__content']/p")] == ["Đoạn một.", "Đoạn hai."]
    assert select(tree, "meta[property='article:published_time']::attr(content)") == ["2023-04-05T08:30:00+07:00"]
    assert select(tree, "div.detail__content p::text") == ["Đoạn một.", "Đoạn hai."]


def test_a_broken_selector_is_logged_once_and_selects_nothing(caplog):
    tree = parse_html(PAGE)
    with caplog.at_level(logging.WARNING, logger="indexer.html_tree"):
        assert select(tree, "div.detail[") == []
        assert select(tree, "div.detail[") == []
        assert select(tree, "//div[no-such-function(.)]") == []
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 2
    assert "div.detail[" in messages[0] and "CSS" in messages[0]
    assert "no-such-function" in messages[1]


def _source(**selectors):
    return {
        "name": "tinh-x",
        "kind": "portal",
        "allowed_domains": ["x.gov.vn"],
        "start_urls": ["https://x.gov.vn/"],
        "selectors": selectors,
    }


@pytest.mark.parametrize(
    "selectors,field",
    [
        ({"title": "h1", "body": "div.noi-dung["}, "selectors.body"),
        ({"date": "//span[@class='ngay'"}, "selectors.date"),
        ({"author": "p..tac-gia"}, "selectors.author"),
        ({"title": "  "}, "selectors.title"),
    ],
)
def test_a_source_with_a_bad_selector_is_rejected_naming_the_field(selectors, field):
    with pytest.raises(SourceError) as err:
        parse_source(_source(**selectors))
    assert err.value.field == field and "tinh-x" in str(err.value)


def test_configured_sources_all_have_valid_selectors():
    for name in ("sources.yaml", "sources.demo.yaml"):
        sources = load_sources(CONFIG_DIR / name, {"DEMO_PORT": 8800, "DEMO_HOST": "127.0.0.1"})
        assert sources and all(isinstance(s, Source) for s in sources)


def test_an_attr_date_selector_dates_the_article():
    """A date held only in an attribute is found through ``::attr()`` (it once selected nothing)."""
    page = PAGE.replace('<meta property="article:published_time" content="2023-04-05T08:30:00+07:00">', "")
    src = Source(
        name="x", kind="portal", allowed_domains=["x.gov.vn"], selectors={"date": "span.pub::attr(data-published)"}
    )
    a = build_article(page.encode(), "https://x.gov.vn/tin/1.html", source=src)
    assert a.published and a.published.startswith("2023-04-05T08:30")
