"""The real-world mess is really on the wire: legacy charset, NFD, redirects, errors, robots."""

from __future__ import annotations

import re
import unicodedata
import urllib.error
import urllib.request

from demoweb_http import fetch


def _site_truth(truth, name):
    return [t for t in truth if t["site"] == name]


def test_windows_1258_site_sends_cp1258_bytes(truth):
    t = _site_truth(truth, "backan-portal")[0]
    page = fetch(t["url"])
    assert page.headers["Content-Type"] == "text/html; charset=windows-1258"
    assert b"charset=windows-1258" in page.body
    try:
        page.body.decode("utf-8")
        raise AssertionError("windows-1258 page is valid UTF-8")
    except UnicodeDecodeError:
        pass
    raw = page.body.decode("cp1258")
    assert not unicodedata.is_normalized("NFC", raw)  # base letter + combining tone mark
    assert t["title"] in unicodedata.normalize("NFC", raw)


def test_nfd_site_serves_decomposed_text(truth):
    t = _site_truth(truth, "baotuyenquang")[0]
    raw = fetch(t["url"]).body.decode("utf-8")
    assert unicodedata.is_normalized("NFD", raw)
    assert t["title"] not in raw and unicodedata.normalize("NFD", t["title"]) in raw


def test_old_tone_marks_on_the_joomla_portal(truth):
    t = next(t for t in truth if "old-tone-marks" in t["mess"] and "seed-002" not in t["mess"])
    assert re.search(r"Hoá|thoả|Uỷ", t["title"] + t["body"])


def test_redirect_is_a_301_to_an_article(web, truth):
    urls = {t["url"] for t in truth}
    old = web.special_urls()["redirect"]
    assert old
    for url in old:
        r = fetch(url)
        assert r.status == 301 and r.headers["Location"] in urls
    home = fetch(web.url("thanhhoa-portal", "/")).text
    assert "option=com_content&amp;view=article" in home


def test_404_and_500_are_reachable_from_listings_or_sitemaps(web):
    special = web.special_urls()
    assert special["404"] and special["500"]
    for code in ("404", "500"):
        for url in special[code]:
            assert fetch(url).status == int(code)
    listing = fetch(web.url("diendandoanhnghiep", "/chuyen-doi-so")).text
    assert any(u.split(":", 2)[2].split("/", 1)[1] in listing for u in special["404"])
    sm = fetch(web.url("backan-portal", "/sitemap-2024.xml")).text
    assert any(u in sm for u in special["500"])


def test_robots_disallows_paths_that_pages_link_to(web):
    for site in web.sites:
        robots = fetch(web.url(site.name, "/robots.txt")).text
        rules = re.findall(r"^Disallow: (\S+)", robots, flags=re.M)
        assert rules, site.name
        home = fetch(site.base_url).text
        links = re.findall(r'href="(/[^"]*)"', home)
        linked = [href for href in links if any(href.startswith(r) for r in rules)]
        assert linked, f"{site.name}: no link into a disallowed path"
        assert fetch(web.url(site.name, linked[0].replace("&amp;", "&"))).status == 200


def test_one_story_syndicated_on_two_sites(truth):
    groups = {}
    for t in truth:
        if t["syndication_group"]:
            groups.setdefault(t["syndication_group"], []).append(t)
    pair = next(g for g in groups.values() if len(g) == 2)
    a, b = pair
    assert a["site"] != b["site"] and a["body"] == b["body"] and a["title"] != b["title"]


def test_malformed_page_still_carries_its_article(truth):
    t = next(t for t in truth if "malformed" in t["mess"])
    html = fetch(t["url"]).text
    assert "</p></b>" in html and "</span></div></font>" in html
    assert t["body"].split("\n\n")[1] in html


def test_lookalike_and_invisible_characters_in_a_body(truth):
    t = next(t for t in truth if "lookalike-eth" in t["mess"])
    assert "\u00d0" in t["body"] and "\u00a0" in t["body"] and "\u200b" in t["body"]
    html = fetch(t["url"]).text
    assert "\u00d0ồng Tháp" in html and "chuyển\u200bđổi" in html


def test_peace_and_distractor_words_are_not_provinces(truth):
    peaces = [t for t in truth if "peace-word" in t["mess"]]
    assert any("hòa bình" in t["body"] for t in peaces)
    assert any("Hòa Bình" in t["title"] for t in peaces)
    assert not any("Hòa Bình" in t["provinces"] or t["on_topic"] for t in peaces)
    distractors = [t for t in truth if any(m.startswith("distractor") for m in t["mess"])]
    assert distractors and not any(t["on_topic"] for t in distractors)


def test_conditional_get_answers_304_where_the_cms_sends_validators(truth):
    for t in (
        next(x for x in truth if x["site"] == "baotuyenquang"),
        next(x for x in truth if x["site"] == "thanhhoa-portal"),
    ):
        first = fetch(t["url"])
        etag = first.headers.get("ETag")
        if t["site"] == "thanhhoa-portal":
            assert etag is None and "Last-Modified" not in first.headers
            continue
        assert etag and first.headers["Last-Modified"]
        req = urllib.request.Request(t["url"], headers={"If-None-Match": etag})
        try:
            urllib.request.urlopen(req, timeout=10)
            raise AssertionError("expected 304")
        except urllib.error.HTTPError as e:
            assert e.code == 304


def test_one_body_is_legacy_tcvn3_text_in_a_vntime_font(truth):
    from viparse.normalize.encodings import CHARMAPS

    t = next(t for t in truth if "tcvn3" in t["mess"])
    html = fetch(t["url"]).text
    assert 'face=".VnTime"' in html and "tØnh Tuyªn Quang" in html
    assert t["body"].split("\n\n")[1] not in html  # not there as Unicode
    back = dict(CHARMAPS["tcvn3"].pairs)
    body = re.search(r'<font face="\.VnTime"[^>]*>(.*?)</font>', html, re.S).group(1)
    text = "".join(back.get(c, c) for c in re.sub(r"<[^>]+>", "", body))
    assert all(p in unicodedata.normalize("NFC", text) for p in t["body"].split("\n\n"))
