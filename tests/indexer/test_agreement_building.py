"""Agreement records from articles: parties from the headline, the latest period, one record per
signing however many papers carried it, expired and renewed marking."""

from __future__ import annotations

import datetime as dt

from indexer.agreements import build_agreements
from indexer.article import Article

TODAY = dt.date(2026, 12, 6)


def art(
    slug,
    title,
    *,
    provinces,
    partners,
    periods=(),
    published="2021-03-15T09:00:00+07:00",
    kind="agreement",
    primary=None,
    body="",
    lead="",
    source="a.vn",
    canonical=True,
):
    return Article(
        url=f"http://{source}/{slug}.html",
        title=title,
        lead=lead,
        body=body,
        source=source,
        provinces=list(provinces),
        primary_province=primary or provinces[0],
        partners=list(partners),
        partner_mentions={p: ["title", "body"] for p in partners},
        periods=[list(p) for p in periods],
        published=published,
        year=int(published[:4]),
        kind=kind,
        is_canonical=canonical,
    )


def triples(records):
    return sorted((r.province, p, r.period) for r in records for p in r.partners)


def test_one_record_per_signing_with_every_report():
    a = art(
        "tq-vnpt",
        "VNPT đồng hành cùng Tuyên Quang giai đoạn 2023 - 2028",
        provinces=["Tuyên Quang", "Hà Nội"],
        partners=["VNPT"],
        periods=[(2017, 2022), (2023, 2028)],
        published="2023-01-09T15:40:00+07:00",
        body="Theo thỏa thuận, hai bên hợp tác trên các lĩnh vực hạ tầng số, chính quyền số. Lễ ký diễn ra tại Hà Nội.",
    )
    b = art(
        "tq-vnpt-2",
        "VNPT tiếp tục đồng hành cùng Tuyên Quang",
        provinces=["Tuyên Quang"],
        partners=["VNPT"],
        periods=[(2017, 2022), (2023, 2028)],
        published="2023-01-10T08:30:00+07:00",
        source="b.vn",
        canonical=False,
    )
    records = build_agreements([b, a], TODAY)
    assert triples(records) == [("Tuyên Quang", "VNPT", (2023, 2028))]  # Hà Nội is only where it was signed
    r = records[0]
    assert [x.id for x in r.reports] == [a.id, b.id] and r.signed == "2023-01-09" and r.status == "active"
    assert r.areas.startswith("Theo thỏa thuận, hai bên hợp tác trên các lĩnh vực")


def test_headline_names_the_parties_and_a_periodless_report_joins_its_signing():
    fpt = art(
        "fpt",
        "FPT ký kết hợp tác chuyển đổi số với Đà Nẵng và Quảng Nam",
        provinces=["Đà Nẵng", "Quảng Nam"],
        partners=["FPT"],
        periods=[(2021, 2025)],
        published="2021-12-02T15:10:00+07:00",
    )
    vt = art(
        "vt",
        "Hợp tác về chuyển đổi số giữa UBND tỉnh và Tập đoàn Viettel",
        provinces=["Tuyên Quang"],
        partners=["Viettel"],
        published="2021-10-12T09:15:00+07:00",
    )
    vt2 = art(
        "vt2",
        "Tuyên Quang và Viettel ký thỏa thuận 2021-2025",
        provinces=["Tuyên Quang"],
        partners=["Viettel"],
        periods=[(2021, 2025)],
        published="2021-10-13T09:15:00+07:00",
    )
    records = build_agreements([fpt, vt], TODAY)
    assert triples(records) == [
        ("Quảng Nam", "FPT", (2021, 2025)),
        ("Tuyên Quang", "Viettel", None),
        ("Đà Nẵng", "FPT", (2021, 2025)),
    ]
    assert {r.status for r in records if r.period is None} == {"unknown"}
    records = build_agreements([fpt, vt, vt2], TODAY)
    viettel = [r for r in records if r.partners == ["Viettel"]]
    assert len(viettel) == 1 and viettel[0].period == (2021, 2025) and len(viettel[0].reports) == 2
    # A dated signing of the same pair two years later is another signing, not this report's period.
    later = art(
        "vt3",
        "Tuyên Quang và Viettel ký thỏa thuận 2023-2027",
        provinces=["Tuyên Quang"],
        partners=["Viettel"],
        periods=[(2023, 2027)],
        published="2023-09-01T09:00:00+07:00",
    )
    periods = sorted(str(r.period) for r in build_agreements([vt, later], TODAY))
    assert periods == ["(2023, 2027)", "None"]


def test_expired_unless_renewed():
    old = art(
        "th-1",
        "Thanh Hóa và VNPT ký thỏa thuận 2015-2020",
        provinces=["Thanh Hóa"],
        partners=["VNPT"],
        periods=[(2015, 2020)],
        published="2015-05-01T09:00:00+07:00",
    )
    new = art(
        "th-2",
        "Thanh Hóa và VNPT ký thỏa thuận 2021-2025",
        provinces=["Thanh Hóa"],
        partners=["VNPT"],
        periods=[(2015, 2020), (2021, 2025)],
        published="2021-11-11T09:00:00+07:00",
    )
    bk = art(
        "bk",
        "Bắc Kạn và VNPT ký thỏa thuận 2020-2025",
        provinces=["Bắc Kạn"],
        partners=["VNPT"],
        periods=[(2020, 2025)],
        published="2020-06-05T09:00:00+07:00",
    )
    status = {(r.province, r.period): r.status for r in build_agreements([old, new, bk], TODAY)}
    assert status == {
        ("Thanh Hóa", (2015, 2020)): "renewed",
        ("Thanh Hóa", (2021, 2025)): "expired",
        ("Bắc Kạn", (2020, 2025)): "expired",
    }
    assert {r.status for r in build_agreements([bk], dt.date(2025, 6, 1))} == {"active"}
    rec = next(r for r in build_agreements([bk], TODAY))
    assert rec.province_current == "Thái Nguyên" and rec.province_label == "Bắc Kạn (nay Thái Nguyên)"


def test_news_that_mentions_an_agreement_is_not_one():
    news = art(
        "n",
        "Tuyên Quang đẩy mạnh chuyển đổi số",
        provinces=["Tuyên Quang"],
        partners=["VNPT"],
        periods=[(2023, 2028)],
        kind="news",
    )
    report = art(
        "r",
        "Thanh Hóa đánh giá 5 năm thực hiện Đề án chuyển đổi số giai đoạn 2021-2025",
        provinces=["Thanh Hóa"],
        partners=["VNPT", "Viettel"],
        periods=[(2021, 2025)],
        kind="report",
    )
    assert build_agreements([news, report], TODAY) == []
