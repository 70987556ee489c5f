"""Search-engine figures at scale: indexing rate, query latency (p50/p95) beside the raw engine, size.

    .venv/bin/python bench/search.py                          # 20,000 articles (make bench runs this)
    .venv/bin/python bench/search.py --n 100000               # the issue's figures (BENCHMARKS.md)
    .venv/bin/python bench/search.py --n 1000000 --max-index-minutes 20
    .venv/bin/python bench/search.py --http --n 20000 --clients 16 --seconds 15
    CDS_ES_URL=http://127.0.0.1:9200 .venv/bin/python bench/search.py --backend elasticsearch --n 100000

Articles are synthetic but shaped like the real ones: provincial portal news of 250–700 words
built from Vietnamese sentence templates, legacy + current provinces, partners, agreement
periods, ~10% syndicated copies and ~10% off-topic. They are generated batch by batch (never all
in memory), so 1M articles fit; only index + commit is timed.

Beside each product figure, its limit measured in the same run:
- indexing: the raw engine's add rate for the same documents pre-built (tantivy alone: add +
  commit, no preparation), and one process's preparation rate (normalize, key every syllable,
  facet values, the stored JSON);
- search: the raw engine's time for the same query (tantivy alone: the scored text query and
  filters, top page and count; no facets, no highlighting, no stored documents read).
``--http`` measures through HTTP under concurrent load from a second process (bench/http_load.py).
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from config.settings import Settings  # noqa: E402
from indexer.article import Article  # noqa: E402
from indexer.backends import load_backend  # noqa: E402
from indexer.backends.query_text import parse_text  # noqa: E402
from indexer.query import SearchQuery  # noqa: E402
from indexer.segmentation import warm_up  # noqa: E402

PARTNERS = ["VNPT", "Viettel", "MobiFone", "FPT", "CMC", "Vietnam Post"]
SERVICES = [
    "hóa đơn điện tử",
    "chữ ký số",
    "bệnh án điện tử",
    "học bạ số",
    "dịch vụ công trực tuyến",
    "trung tâm điều hành thông minh (IOC)",
    "nền tảng dữ liệu dùng chung",
    "thanh toán không dùng tiền mặt",
    "camera giám sát an ninh",
    "sổ sức khỏe điện tử",
    "hệ thống quản lý văn bản",
    "mạng 5G",
]
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
QUERIES = [
    "chuyen doi so",
    "chuyển đổi số",
    "Thanh Hoa VNPT",
    "CĐS",
    '"kinh tế số"',
    "hóa đơn điện tử",
    "Viettel trung tâm điều hành thông minh",
    "ky ket thoa thuan 2021-2025",
    "UBND dịch vụ công",
    "5G",
]


def provinces() -> list[tuple[str, str]]:
    try:
        from indexer.enrichment.admin_units import province_tables

        mapping = province_tables()[0]
        return sorted(mapping.items())
    except Exception:  # enrichment not available: a short list
        return [
            ("Thanh Hóa", "Thanh Hóa"),
            ("Bắc Kạn", "Thái Nguyên"),
            ("Hà Giang", "Tuyên Quang"),
            ("Tuyên Quang", "Tuyên Quang"),
            ("Quảng Nam", "Đà Nẵng"),
            ("Hà Nội", "Hà Nội"),
        ]


def synthetic_articles(n: int, seed: int = 7) -> list[Article]:
    return list(iter_synthetic(n, seed))


def iter_synthetic(n: int, seed: int = 7) -> Iterator[Article]:
    """The articles of :func:`synthetic_articles`, one at a time (1M do not fit in memory as objects)."""
    rnd = random.Random(seed)
    provs = provinces()
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
            paras.append(
                " ".join(
                    rnd.choice(SENTENCES).format(**{**vals, "n": rnd.randint(2, 95), "S": rnd.choice(SERVICES)})
                    for _ in range(rnd.randint(3, 6))
                )
            )
        year = rnd.randint(2019, 2025)
        kind = "agreement" if "thỏa thuận" in title else rnd.choice(["news", "news", "report", "research"])
        source = f"{rnd.randint(1, 120)}.gov.vn"
        copy = i > 0 and rnd.random() < 0.1
        yield Article(
            url=f"http://{source}/tin/{i}.html",
            title=title,
            lead=paras[0],
            body="\n\n".join(paras[1:]),
            published=f"{year}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}T{rnd.randint(7, 18):02d}:00:00+07:00",
            year=year,
            source=source,
            source_kind="portal",
            provinces=[legacy],
            provinces_current=[current],
            partners=[partner],
            periods=[[a, b]] if kind == "agreement" else [],
            kind=kind,
            on_topic=not off,
            is_canonical=not copy,
            cluster_id=f"c{i // 2}" if copy else "",
        )


BATCH = 10_000  # articles per index() call and commit (a re-extract's batch)


def query_sets() -> dict[str, list[SearchQuery]]:
    return {
        "text, no filters": [SearchQuery(text=q) for q in QUERIES],
        "text + facet filters": [
            SearchQuery(text=q, filters={"partner": ["VNPT", "Viettel"], "year": ["2023"]}) for q in QUERIES
        ],
        "text + province filter": [SearchQuery(text=q, filters={"province_current": ["Thái Nguyên"]}) for q in QUERIES],
        "browse (no text), newest": [SearchQuery(sort="newest", page=p) for p in range(1, 11)],
        "browse + 3 facet filters": [
            SearchQuery(filters={"partner": ["VNPT"], "kind": ["agreement"], "year": [str(y)]})
            for y in range(2019, 2029)
        ],
    }


def percentile(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def timed(
    run: Callable[[SearchQuery], object], queries: list[SearchQuery], repeat: int, cpu: list[float] | None = None
) -> list[float]:
    """Wall milliseconds per query; with ``cpu``, also the CPU milliseconds this process spent
    (every thread): what the query costs on a core of its own, whatever else the machine runs."""
    lat = []
    for _ in range(repeat):
        for q in queries:
            c, t = time.process_time(), time.perf_counter()
            run(q)
            lat.append((time.perf_counter() - t) * 1000)
            if cpu is not None:
                cpu.append((time.process_time() - c) * 1000)
    return lat


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def peak_rss_mb() -> tuple[float, float]:
    """Peak resident memory of this process and of its largest finished child (the pool), MB."""
    return (
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    )


def cpu_seconds() -> float:
    """CPU seconds of this process and its finished children (the preparing pool), all threads."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def machine_line() -> str:
    load = os.getloadavg()
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=5
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "indexer/backends", "bench/search.py"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=5,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit, dirty = "?", ""
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{os.cpu_count()} CPU(s), {mem:.0f} GiB, load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} "
        f"at start, commit {commit}{' + local changes' if dirty else ''}"
    )


# -- indexing ------------------------------------------------------------------------------------
def index_all(backend, n: int, max_seconds: float) -> tuple[int, float, float, float]:
    """Index n generated articles in BATCH-sized committed batches; stop early after max_seconds.
    Returns (articles indexed, seconds indexing + committing, seconds generating, CPU s generating)."""
    done, index_s, gen_s, gen_cpu = 0, 0.0, 0.0, 0.0
    stream = iter_synthetic(n)
    while done < n:
        t, c = time.perf_counter(), time.process_time()
        batch = list(itertools.islice(stream, BATCH))
        gen_s += time.perf_counter() - t
        gen_cpu += time.process_time() - c
        t = time.perf_counter()
        backend.index(batch)
        backend.commit()
        index_s += time.perf_counter() - t
        done += len(batch)
        if done < n and index_s > max_seconds:
            print(f"  (stopped at {done:,} of {n:,} articles: --max-index-minutes reached)", flush=True)
            break
        if n >= 100_000 and done % 100_000 == 0:
            print(f"  … {done:,} indexed, {done / index_s:,.0f} articles/s so far", flush=True)
    return done, index_s, gen_s, gen_cpu


def replicate(backend, distinct: int, n: int) -> tuple[int, float]:
    """Grow the index to n documents by adding the first ``distinct`` articles' prepared
    documents again under new ids (r-th copy: id + "-r<r>"), committed every BATCH*10.

    For a 1M index on a machine where preparing 1M articles would take hours: the copies have
    the same term and position statistics as freshly generated articles (which are drawn from
    the same templates anyway), so query latency and index size scale as they would; a hit can
    show an article that exists under another id. Returns (documents added, seconds)."""
    from indexer.backends.embedded import prepare_chunk
    from indexer.backends.tantivy_schema import document

    fields = [f for _, f, _ in prepare_chunk(list(iter_synthetic(distinct)))]
    writer = backend._get_writer()
    added, t = 0, time.perf_counter()
    for r in range(1, -(-n // distinct)):
        for f in fields[: n - distinct * r]:
            writer.add_document(document({**f, "id": [f"{f['id'][0]}-r{r}"]}))
            added += 1
            if added % (BATCH * 10) == 0:
                writer.commit()
                print(
                    f"  … {distinct + added:,} documents, {added / (time.perf_counter() - t):,.0f} copies/s", flush=True
                )
    writer.commit()
    writer.wait_merging_threads()
    backend._writer = None
    return added, time.perf_counter() - t


def raw_engine_add_rate(sample: int) -> tuple[float, float, float, float]:
    """Documents/s tantivy adds and commits pre-built, wall and per CPU-second (its threads), and
    articles/s one process prepares, wall and per CPU-second."""
    import tantivy

    from indexer.backends.tantivy_schema import build_schema, document, prepare, register_analyzers

    articles = synthetic_articles(sample, seed=11)
    t, c = time.perf_counter(), time.process_time()
    prepared = [prepare(a) for a in articles]
    prepare_rate, prepare_cpu_rate = sample / (time.perf_counter() - t), sample / (time.process_time() - c)
    docs = [document(f) for f in prepared]
    with tempfile.TemporaryDirectory(prefix="cds-bench-raw-") as tmp:
        index = tantivy.Index(build_schema(), path=tmp)
        register_analyzers(index)
        writer = index.writer(256_000_000, 0)
        t, c = time.perf_counter(), time.process_time()
        for doc in docs:
            writer.add_document(doc)
        writer.commit()
        add_rate, add_cpu_rate = sample / (time.perf_counter() - t), sample / (time.process_time() - c)
        writer.wait_merging_threads()
    return add_rate, add_cpu_rate, prepare_rate, prepare_cpu_rate


# -- searching -----------------------------------------------------------------------------------
def embedded_raw(backend) -> Callable[[SearchQuery], object]:
    """The engine alone for a query: scored text query AND filters, top page + count."""
    from tantivy import Order

    from indexer.backends.query_text import parse_text as parse

    def run(q: SearchQuery):
        b = backend.builder
        parsed = parse(q.text, backend.lexicon)
        main = b.combine(b.text_query(parsed), b.base_filters(q) + list(b.facet_filters(q).values()))
        kwargs = (
            {}
            if q.effective_sort == "relevance"
            else {"order_by_field": "published_ts", "order": Order.Desc if q.effective_sort == "newest" else Order.Asc}
        )
        return backend._searcher().search(main, q.per_page, count=True, offset=q.offset, **kwargs)

    return run


def es_raw(backend) -> Callable[[SearchQuery], object]:
    """The cluster alone for a query: the same query and sort, no aggregations, no highlighting
    (none is asked of ES anyway), sources not fetched."""
    from indexer.backends.es_bodies import build_search_body
    from indexer.backends.query_text import parse_text as parse

    def run(q: SearchQuery):
        body = build_search_body(q, parsed=parse(q.text, backend.lexicon))
        body.pop("aggs", None)
        body["_source"] = False
        return backend._client.search(index=backend.alias, body=body)

    return run


def search_figures(backend, raw: Callable[[SearchQuery], object], repeat: int) -> None:
    sets = query_sets()
    t = time.perf_counter()
    warm_up()  # the word segmenter (pyvi) loads
    print(f"  load the word segmenter      {time.perf_counter() - t:8.2f} s   (once per process)")
    for q in itertools.chain(*sets.values()):  # warm-up (page cache, lazy loads)
        backend.search(q)
        raw(q)
    parse = timed(lambda q: parse_text(q.text), sets["text, no filters"], repeat)
    print(
        f"  {'read a query (words, synonyms)':30s} {statistics.median(parse):7.2f} "
        f"{percentile(parse, 95):7.2f}   (part of every text query below)"
    )
    print("  wall ms: as timed on this machine now; cpu ms: CPU time of this process for the query")
    print(
        f"  {'query set (8 facets counted)':30s} {'product wall p50':>16s} {'p95':>6s} {'cpu p50':>8s} {'p95':>6s} │ "
        f"{'raw engine wall p50':>19s} {'p95':>6s} {'cpu p50':>8s} {'p95':>6s} │ {'avg hits':>8s}"
    )
    for name, queries in sets.items():
        cpu: list[float] = []
        raw_cpu: list[float] = []
        lat = timed(backend.search, queries, repeat, cpu)
        raw_lat = timed(raw, queries, repeat, raw_cpu)
        hits = sum(backend.search(q).total for q in queries) / len(queries)
        print(
            f"  {name:30s} {statistics.median(lat):16.1f} {percentile(lat, 95):6.1f} {statistics.median(cpu):8.1f} "
            f"{percentile(cpu, 95):6.1f} │ {statistics.median(raw_lat):19.1f} {percentile(raw_lat, 95):6.1f} "
            f"{statistics.median(raw_cpu):8.1f} {percentile(raw_cpu, 95):6.1f} │ {hits:8.0f}",
            flush=True,
        )


# -- the runs --------------------------------------------------------------------------------------
def run_embedded(args) -> None:
    from indexer.backends.embedded import EmbeddedBackend

    print(f"CĐS Radar embedded search bench — {args.n:,} articles, {machine_line()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="cds-bench-", dir=args.tmp) as tmp:
        backend = load_backend(Settings(DATA_DIR=tmp))
        assert isinstance(backend, EmbeddedBackend)
        cpu0 = cpu_seconds()
        done, index_s, gen_s, gen_cpu = index_all(backend, args.n, args.max_index_minutes * 60)
        backend.close()  # the pool ends: its CPU time is counted
        index_cpu = cpu_seconds() - cpu0 - gen_cpu
        if args.replicate_to > done:
            backend = load_backend(Settings(DATA_DIR=tmp))
            added, rep_s = replicate(backend, done, args.replicate_to)
            backend.close()
            print(
                f"  replicated to {done + added:,} documents: {added:,} copies of prepared documents in {rep_s:.0f} s "
                f"({added / rep_s:.0f} docs/s; see --replicate-to)"
            )
        size = dir_size(Path(tmp) / "index")
        docs = max(done, args.replicate_to)
        rss, rss_children = peak_rss_mb()
        cores = os.cpu_count() or 1
        print(f"  generate articles        {gen_s:8.1f} s   (not timed below)")
        print(
            f"  index + commit           {index_s:8.1f} s   {done / index_s:8.0f} articles/s  "
            f"(batches of {BATCH:,}, each committed; preparation in {cores} processes)",
            flush=True,
        )
        print(
            f"    CPU time of indexing   {index_cpu:8.1f} s   {done / index_cpu:8.0f} articles per CPU-second "
            f"-> {cores * done / index_cpu:.0f} articles/s on {cores} idle cores (if both stay busy)"
        )
        add_rate, add_cpu, prepare_rate, prepare_cpu = raw_engine_add_rate(min(done, args.raw_sample))
        print(
            f"    limit: raw engine add + commit of pre-built documents   {add_rate:8.0f} docs/s  "
            f"{add_cpu:8.0f} per CPU-second  ({min(done, args.raw_sample):,} docs)"
        )
        print(
            f"    limit: preparing articles in one process                {prepare_rate:8.0f} articles/s  "
            f"{prepare_cpu:8.0f} per CPU-second"
        )
        print(
            f"  index size               {size / 1e6:8.1f} MB  {size / docs / 1024:8.2f} KiB/article ({docs:,} documents)"
        )
        print(f"  peak RSS                 {rss:8.0f} MB  this process, {rss_children:.0f} MB largest pool process")
        backend = load_backend(Settings(DATA_DIR=tmp))
        search_figures(backend, embedded_raw(backend), args.repeat)
        backend.close()


def run_elasticsearch(args) -> int:
    url = os.environ.get("CDS_ES_URL", "")
    if not url:
        print(
            "bench/search.py --backend elasticsearch: skipped, CDS_ES_URL is not set (start one with "
            "`ELASTIC_PASSWORD=... docker compose up -d elasticsearch`, then "
            "CDS_ES_URL=http://elastic:...@127.0.0.1:9200)"
        )
        return 0
    alias = f"cds-bench-{os.getpid()}"
    print(
        f"CĐS Radar Elasticsearch search bench — {args.n:,} articles into {alias}, client on {machine_line()}",
        flush=True,
    )
    backend = load_backend(Settings(BACKEND="elasticsearch", ES_INDEX=alias))
    try:
        done, index_s, gen_s, _ = index_all(backend, args.n, args.max_index_minutes * 60)
        print(f"  generate articles        {gen_s:8.1f} s   (not timed below)")
        print(
            f"  bulk index + refresh     {index_s:8.1f} s   {done / index_s:8.0f} articles/s  "
            f"(batches of {BATCH:,}, each refreshed)",
            flush=True,
        )
        search_figures(backend, es_raw(backend), args.repeat)
    finally:
        backend.drop_index()
        backend.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=20_000, help="articles to index")
    ap.add_argument("--repeat", type=int, default=20, help="runs of each query set")
    ap.add_argument("--backend", choices=("embedded", "elasticsearch"), default="embedded")
    ap.add_argument(
        "--http",
        action="store_true",
        help="through HTTP under concurrent load from a second process (bench/http_load.py; "
        "its flags --clients, --seconds, ... pass through)",
    )
    ap.add_argument(
        "--max-index-minutes",
        type=float,
        default=30.0,
        help="stop indexing after this long and measure the index built so far",
    )
    ap.add_argument(
        "--replicate-to",
        type=int,
        default=0,
        help="after indexing --n articles, grow the index to this many documents with copies of "
        "their prepared documents under new ids (1M on a small machine; see replicate())",
    )
    ap.add_argument("--raw-sample", type=int, default=20_000, help="documents for the raw engine's add rate")
    ap.add_argument("--tmp", default=None, help="folder for the bench index (default: the system's temp)")
    args, rest = ap.parse_known_args(argv)
    if args.http:
        try:
            from bench import http_load
        except ImportError as e:
            print(f"bench/search.py --http: bench/http_load.py is not available ({e})")
            return 2
        return http_load.main(["--n", str(args.n), *rest]) or 0
    if rest:
        ap.error(f"unrecognized arguments: {' '.join(rest)}")
    if args.backend == "elasticsearch":
        return run_elasticsearch(args)
    run_embedded(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
