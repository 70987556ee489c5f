"""Embedded-engine figures: indexing rate, query latency (p50/p95), index size.

    .venv/bin/python bench/search.py            # 20,000 articles (make bench runs this)
    .venv/bin/python bench/search.py --n 5000 --repeat 50

Articles are synthetic but shaped like the real ones: provincial portal news of 250–700 words
built from Vietnamese sentence templates, legacy + current provinces, partners, agreement
periods, ~10% syndicated copies and ~10% off-topic. Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from config.settings import Settings  # noqa: E402
from indexer.article import Article  # noqa: E402
from indexer.backends import load_backend  # noqa: E402
from indexer.backends.query_text import parse_text  # noqa: E402
from indexer.query import SearchQuery  # noqa: E402
from indexer.segmentation import warm_up  # noqa: E402

PARTNERS = ["VNPT", "Viettel", "MobiFone", "FPT", "CMC", "Vietnam Post"]
SERVICES = ["hóa đơn điện tử", "chữ ký số", "bệnh án điện tử", "học bạ số", "dịch vụ công trực tuyến",
            "trung tâm điều hành thông minh (IOC)", "nền tảng dữ liệu dùng chung", "thanh toán không dùng tiền mặt",
            "camera giám sát an ninh", "sổ sức khỏe điện tử", "hệ thống quản lý văn bản", "mạng 5G"]
TITLES = [
    "{P} và {X} ký kết thỏa thuận hợp tác chuyển đổi số giai đoạn {a}-{b}",
    "{X} {P} triển khai {S} cho người dân",
    "{P} đẩy mạnh chuyển đổi số trong cải cách hành chính",
    "Hội nghị sơ kết {n} năm thực hiện chương trình CĐS tỉnh {P}",
    "{P}: phát triển kinh tế số, xã hội số đến năm {b}",
    "{X} đồng hành cùng {P} xây dựng chính quyền số",
]
SENTENCES = [
    "Theo báo cáo của Sở Thông tin và Truyền thông, tỷ lệ hồ sơ trực tuyến toàn trình đạt {n}%.",
    "UBND tỉnh {P} yêu cầu các sở, ngành tiếp tục triển khai {S} trên địa bàn.",
    "Đại diện {X} cho biết doanh nghiệp sẽ hỗ trợ tỉnh về hạ tầng, nhân lực và giải pháp công nghệ.",
    "Về kinh tế, số doanh nghiệp thành lập mới trong năm tăng {n}% so với cùng kỳ.",
    "Kinh tế số của tỉnh ước chiếm {n}% GRDP, hướng tới mục tiêu của giai đoạn {a}-{b}.",
    "Tổ công nghệ số cộng đồng đã hướng dẫn hơn {n}.000 người dân cài đặt và sử dụng ứng dụng.",
    "Các đại biểu thảo luận về khó khăn trong việc kết nối, chia sẻ dữ liệu giữa các cơ quan.",
    "Lãnh đạo tỉnh đề nghị {X} sớm hoàn thành việc nâng cấp {S} trước quý {q}.",
    "Nhiều xã vùng cao đã được phủ sóng di động, tạo điều kiện cho người dân tiếp cận dịch vụ số.",
    "Chương trình đặt mục tiêu đến năm {b} có {n}% người trưởng thành sử dụng điện thoại thông minh.",
]
OFF_TOPIC = ["Giải bóng đá thiếu niên tỉnh {P} khởi tranh", "{P} tổ chức lễ hội văn hóa các dân tộc"]
QUERIES = ["chuyen doi so", "chuyển đổi số", "Thanh Hoa VNPT", "CĐS", '"kinh tế số"', "hóa đơn điện tử",
           "Viettel trung tâm điều hành thông minh", "ky ket thoa thuan 2021-2025", "UBND dịch vụ công", "5G"]


def provinces() -> list[tuple[str, str]]:
    try:
        from indexer.enrichment.admin_units import province_tables
        mapping = province_tables()[0]
        return sorted(mapping.items())
    except Exception:                                         # enrichment not available: a short list
        return [("Thanh Hóa", "Thanh Hóa"), ("Bắc Kạn", "Thái Nguyên"), ("Hà Giang", "Tuyên Quang"),
                ("Tuyên Quang", "Tuyên Quang"), ("Quảng Nam", "Đà Nẵng"), ("Hà Nội", "Hà Nội")]


def synthetic_articles(n: int, seed: int = 7) -> list[Article]:
    rnd = random.Random(seed)
    provs = provinces()
    out: list[Article] = []
    for i in range(n):
        legacy, current = rnd.choice(provs)
        partner = rnd.choice(PARTNERS)
        a = rnd.choice([2019, 2020, 2021, 2022, 2023])
        b = a + rnd.choice([2, 4, 5])
        vals = dict(P=legacy, X=partner, S=rnd.choice(SERVICES), a=a, b=b, n=rnd.randint(2, 95), q=rnd.randint(1, 4))
        off = rnd.random() < 0.1
        title = (rnd.choice(OFF_TOPIC) if off else rnd.choice(TITLES)).format(**vals)
        paras = []
        for _ in range(rnd.randint(5, 12)):
            paras.append(" ".join(rnd.choice(SENTENCES).format(**{**vals, "n": rnd.randint(2, 95),
                                                                   "S": rnd.choice(SERVICES)})
                                  for _ in range(rnd.randint(3, 6))))
        year = rnd.randint(2019, 2025)
        kind = "agreement" if "thỏa thuận" in title else rnd.choice(["news", "news", "report", "research"])
        source = f"{rnd.randint(1, 120)}.gov.vn"
        copy = i > 0 and rnd.random() < 0.1
        out.append(Article(
            url=f"http://{source}/tin/{i}.html", title=title, lead=paras[0], body="\n\n".join(paras[1:]),
            published=f"{year}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}T{rnd.randint(7, 18):02d}:00:00+07:00",
            year=year, source=source, source_kind="portal", provinces=[legacy], provinces_current=[current],
            partners=[partner], periods=[[a, b]] if kind == "agreement" else [], kind=kind,
            on_topic=not off, is_canonical=not copy, cluster_id=f"c{i // 2}" if copy else ""))
    return out


def percentile(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def timed(backend, queries: list[SearchQuery], repeat: int) -> tuple[list[float], int]:
    lat, total = [], 0
    for _ in range(repeat):
        for q in queries:
            t = time.perf_counter()
            total += backend.search(q).total
            lat.append((time.perf_counter() - t) * 1000)
    return lat, total // max(1, repeat)


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=20_000, help="articles to index")
    ap.add_argument("--repeat", type=int, default=20, help="runs of each query set")
    args = ap.parse_args()

    t = time.perf_counter()
    articles = synthetic_articles(args.n)
    gen_s = time.perf_counter() - t
    words = sum(len(a.body.split()) + len(a.lead.split()) for a in articles) / len(articles)
    with tempfile.TemporaryDirectory(prefix="cds-bench-") as tmp:
        backend = load_backend(Settings(DATA_DIR=tmp))
        t = time.perf_counter()
        for i in range(0, len(articles), 1000):          # batches, as the crawler pipeline sends them
            backend.index(articles[i:i + 1000])
        backend.commit()
        index_s = time.perf_counter() - t
        backend.close()
        size = dir_size(Path(tmp) / "index")
        backend = load_backend(Settings(DATA_DIR=tmp))
        print(f"CĐS Radar embedded search bench — {args.n:,} articles (avg {words:.0f} words), "
              f"{os.cpu_count()} CPU(s)")
        print(f"  generate articles        {gen_s:8.2f} s")
        print(f"  index + commit           {index_s:8.2f} s   {args.n / index_s:8.0f} articles/s")
        print(f"  index size               {size / 1e6:8.1f} MB  {size / args.n / 1024:8.2f} KiB/article")
        sets = {
            "text, no filters": [SearchQuery(text=q) for q in QUERIES],
            "text + facet filters": [SearchQuery(text=q, filters={"partner": ["VNPT", "Viettel"],
                                                                  "year": ["2023"]}) for q in QUERIES],
            "text + province filter": [SearchQuery(text=q, filters={"province_current": ["Thái Nguyên"]})
                                       for q in QUERIES],
            "browse (no text), newest": [SearchQuery(sort="newest", page=p) for p in range(1, 11)],
            "browse + 3 facet filters": [SearchQuery(filters={"partner": ["VNPT"], "kind": ["agreement"],
                                                              "year": [str(y)]}) for y in range(2019, 2029)],
        }
        t = time.perf_counter()
        warm_up()                                                # the word segmenter (pyvi) loads
        print(f"  load the word segmenter      {time.perf_counter() - t:8.2f} s   (once per process)")
        timed(backend, sets["text, no filters"], 1)              # warm-up (page cache, lazy loads)
        parse = []
        for _ in range(args.repeat):
            for q in QUERIES:
                t = time.perf_counter()
                parse_text(q)
                parse.append((time.perf_counter() - t) * 1000)
        print(f"  {'read a query (words, synonyms)':34s} {statistics.median(parse):8.2f} "
              f"{percentile(parse, 95):8.2f}   (part of every text query below)")
        print(f"  {'query set (all compute 6 facets)':34s} {'p50 ms':>8s} {'p95 ms':>8s} {'avg hits':>9s}")
        for name, queries in sets.items():
            lat, total = timed(backend, queries, args.repeat)
            print(f"  {name:34s} {statistics.median(lat):8.1f} {percentile(lat, 95):8.1f} "
                  f"{total / len(queries):9.0f}")
        backend.close()


if __name__ == "__main__":
    main()
