"""Every ground-truth article is served, and its page really shows the truth's title and text."""

from __future__ import annotations

import re
import unicodedata

from demoweb_http import fetch

from demoweb.textcodec import to_tcvn3


def _visible(html: str) -> str:
    text = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    for ent, ch in (("&amp;", "&"), ("&lt;", "<"), ("&gt;", ">"), ("&#34;", '"'), ("&#39;", "'"), ("&quot;", '"')):
        text = text.replace(ent, ch)
    return re.sub(r"[ \t\r\n]+", " ", text)


def test_every_truth_url_serves_its_title_and_body(truth):
    for t in truth:
        page = fetch(t["url"])
        assert page.status == 200, t["url"]
        html = page.text
        assert t["title"] in _visible(html), t["url"]
        visible = _visible(re.sub(r"&#(\d+);", lambda m: chr(int(m.group(1))), html))
        for para in t["body"].split("\n\n"):
            shown = to_tcvn3(para) if "tcvn3" in t["mess"] else para
            assert shown in visible, (t["url"], para[:60])


def test_dates_shown_only_where_truth_says(truth):
    for t in truth:
        html = fetch(t["url"]).text
        ymd = t["date"][:10]
        y, m, d = ymd.split("-")
        shows = any(
            s in html for s in (ymd, f"{d}/{m}/{y}", f"{int(d)}/{int(m)}/{y}", f"ngày {int(d)} tháng {int(m)} năm {y}")
        )
        assert shows == t["date_shown"], t["url"]


def test_seeds_are_served_with_their_quirks(truth, web):
    by_mess = {m: t for t in truth for m in t["mess"]}
    s1 = by_mess["seed-001"]
    html = fetch(s1["url"]).text
    assert "ItemID=123" in s1["url"] and "Ngày Đăng: 22/2/2023 8:4 Lượt xem: 163" in html
    assert "Tổng số lượt truy cập" in html and "Đang Online" in html
    s2 = by_mess["seed-002"]
    assert "/2021/11/" in s2["url"] and s2["date"] == "2021-11-11" and not s2["date_shown"]
    assert "Chiều 11-11" in s2["body"] and "2021" not in s2["title"]
    html = fetch(s2["url"]).text
    assert "Thanh Hoá" in html and "Uỷ ban" in html
    s3 = by_mess["seed-003"]
    html = fetch(s3["url"]).text
    assert s3["date"].startswith("2021-10-12") and 'article:published_time" content="2021-10-12' in html
    assert "Sáng nay 12-10" in s3["body"]
    s4 = by_mess["seed-004"]
    html = _visible(fetch(s4["url"]).text)
    assert "Bạn còn /500 ký tự" in html and "Xếp theo: Thời gian | Số người thích" in html
    assert "SELECT id,type,category_id" in html and "SELECT" not in s4["body"]
    assert "Bạn còn" not in s4["body"] and "Tin mới nhất" not in s1["body"]


def test_related_blocks_carry_other_titles(truth):
    t = next(t for t in truth if "seed-001" in t["mess"])
    html = fetch(t["url"]).text
    others = [o["title"] for o in truth if o["site"] == t["site"] and o["url"] != t["url"]]
    assert sum(title in html for title in others) >= 3


def test_nfc_titles_everywhere(truth):
    for t in truth:
        assert unicodedata.is_normalized("NFC", t["title"] + t["body"])


def test_truth_provinces_are_exactly_the_provinces_the_text_names(truth):
    """Honest truth: a province is listed iff the title/lead/body name it (capitalised, as a name)."""
    from demoweb.provinces import LEGACY_TO_CURRENT

    for t in truth:
        text = unicodedata.normalize("NFC", " ".join([t["title"], t["body"]]))
        text = text.replace("\u00d0", "Đ").replace("\u00a0", " ").replace("Hoá", "Hóa")
        named = {p for p in LEGACY_TO_CURRENT if re.search(rf"(?<!\w){p}(?!\w)", text)}
        traps = {m.split(":", 1)[1] for m in t["mess"] if m.startswith("not-a-province:")}
        assert named - traps == set(t["provinces"]), (t["url"], named, t["provinces"])


PARTNER_NAMES = {  # how the hand-written texts name each partner (legal names, brands, branches)
    "VNPT": r"VNPT|VinaPhone|Vinaphone|Bưu chính Viễn thông Việt Nam",
    "Viettel": r"(?<!Bưu chính )Viettel(?! Post)|Công nghiệp - Viễn thông [Qq]uân đội",
    "MobiFone": r"MobiFone",
    "FPT": r"FPT",
    "CMC": r"CMC",
    "VNG": r"\bVNG\b",
    "MISA": r"MISA",
    "Bkav": r"Bkav",
    "Vietnam Post": r"Vietnam Post|Bưu điện Việt Nam|Bưu điện tỉnh|Postmart",
    "Viettel Post": r"Viettel Post|Bưu chính Viettel",
    "VNPAY": r"VNPAY",
    "MoMo": r"MoMo",
    "Microsoft": r"Microsoft",
    "Google": r"Google",
    "Amazon Web Services": r"Amazon Web Services|AWS",
    "Huawei": r"Huawei",
    "Samsung": r"Samsung",
    "Ericsson": r"Ericsson",
    "Nokia": r"Nokia",
    "Qualcomm": r"Qualcomm",
    "Cisco": r"Cisco",
    "Intel": r"\bIntel\b",
    "Meta": r"\bMeta\b",
    "NVIDIA": r"NVIDIA",
}


def test_truth_partners_are_exactly_the_companies_the_text_names(truth):
    for t in truth:
        if t["generated"]:
            continue
        text = " ".join([t["title"], t["body"]])
        named = {k for k, rx in PARTNER_NAMES.items() if re.search(rx, text)}
        assert named == set(t["partners"]), (t["url"], named, t["partners"])
