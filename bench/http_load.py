"""The UI and API through HTTP under load: the production server (gunicorn, `make serve`) beside
the Werkzeug dev server (`make run`), measured in the same run on the same index.

    .venv/bin/python bench/http_load.py                      # 1,756 articles, 16 clients, 20 s a scenario
    .venv/bin/python bench/http_load.py --n 20000 --seconds 15

Each server is started as `make serve` / `python -m search_ui` start it, on loopback, over an
index of N synthetic articles (bench/search.py's generator). The load comes from a separate
process (the servers' GIL is not the load generator's): C clients, each one keep-alive
connection, sending requests back to back for a fixed time after a short warm-up:

- **API mix**: search with facets (text, text + facet filters, browse), one article, the
  facets-only endpoint, and a page of HTML (the search page), 4:2:1:2. Printed beside the
  targets: >= 300 requests/s with p99 <= 100 ms (16 clients).
- **export mix**: 2x the clients, one in four downloading a whole-index CSV export back to back,
  the rest the API mix: export p95, the exports refused (503 + Retry-After: the server runs at
  most CDS_EXPORT_MAX_CONCURRENT per process) and the API p99 meanwhile.

The machine may be shared: beside wall-clock figures it prints each server's CPU time per
request (its processes' user + system time over the run) and the 1-minute load average, so a
run next to other work can still be read. Prints figures; asserts nothing. `main(argv)` is also what `bench/search.py --http` calls.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET_RPS, TARGET_P99_MS = 300.0, 100.0
WARM_UP_SECONDS = 2.0
MIX_WEIGHTS = {"search": 4, "article": 2, "facets": 1, "html": 2}


# -- the index and the servers -------------------------------------------------------------------
def build_index(data_dir: Path, n: int) -> float:
    from bench.search import synthetic_articles
    from config.settings import Settings
    from indexer.backends import load_backend

    t = time.perf_counter()
    articles = synthetic_articles(n)
    backend = load_backend(Settings(DATA_DIR=str(data_dir)))
    for i in range(0, len(articles), 1000):  # batches, as the crawler pipeline sends them
        backend.index(articles[i : i + 1000])
    backend.commit()
    backend.close()
    return time.perf_counter() - t


SERVERS = {
    "gunicorn": [str(Path(sys.executable).with_name("gunicorn")), "-c", "python:search_ui.gunicorn_conf"],
    "werkzeug": [sys.executable, "-m", "search_ui"],
}


class Server:
    """One UI server process on 127.0.0.1, any free port (UI_PORT=0), up once it prints "ready"."""

    def __init__(self, name: str, data_dir: Path, extra_env: dict | None = None) -> None:
        env = {
            **os.environ,
            "CDS_DATA_DIR": str(data_dir),
            "CDS_UI_HOST": "127.0.0.1",
            "CDS_UI_PORT": "0",
            "PYTHONUNBUFFERED": "1",
            **(extra_env or {}),
        }
        self.name = name
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            SERVERS[name], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=self.log, text=True
        )
        self.url = self._wait_ready(60)

    def _wait_ready(self, seconds: float) -> str:
        box: list[str] = []

        def read() -> None:
            for line in self.proc.stdout:
                if "ready at http://" in line and not box:
                    box.append(line.split("ready at ", 1)[1].split()[0])

        threading.Thread(target=read, daemon=True).start()
        deadline = time.monotonic() + seconds
        while not box:
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.log.seek(0)
                raise SystemExit(f"{self.name} did not start:\n{self.log.read().decode()[-2000:]}")
            time.sleep(0.05)
        return box[0]

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


# -- the load generator (runs in its own process) ----------------------------------------------
def mix_paths(base_url: str, seed: int = 11) -> dict[str, list[str]]:
    """The requests of each kind, built from what the index holds (ids, partners)."""
    from bench.search import QUERIES

    conn = http.client.HTTPConnection(urlsplit(base_url).netloc, timeout=60)
    conn.request("GET", "/api/v1/search?" + urlencode({"per_page": 100, "sort": "newest"}))
    data = json.loads(conn.getresponse().read())
    conn.close()
    ids = [h["id"] for h in data["hits"]]
    rnd = random.Random(seed)
    searches = []
    for q in QUERIES:
        searches += [{"q": q}, {"q": q, "partner": rnd.choice(["VNPT", "Viettel", "FPT"]), "year": "2023"}]
    searches += [{"sort": "newest", "page": p} for p in range(1, 6)]
    searches += [{"partner": "VNPT", "kind": "agreement", "year": str(y)} for y in range(2019, 2026)]
    return {
        "search": [f"/api/v1/search?{urlencode(p)}" for p in searches],
        "article": [f"/api/v1/articles/{i}" for i in ids],
        "facets": ["/api/v1/facets"],
        "html": [f"/?{urlencode(p)}" for p in searches],
        "export": ["/api/v1/export.csv?" + urlencode({"sort": "newest"})],
    }


def _client(netloc: str, kinds: list[str], paths: dict, start: float, stop: float, seed: int, out: list) -> None:
    rnd = random.Random(seed)
    conn = http.client.HTTPConnection(netloc, timeout=60)
    while True:
        kind = rnd.choice(kinds)
        path = rnd.choice(paths[kind])
        t = time.monotonic()
        if t >= stop:
            break
        retry_after, status = None, 0
        # A kept-alive connection the server closed while idle (keepalive 5 s, e.g. while waiting
        # out a Retry-After) fails on reuse: like a browser, try once more on a new connection.
        for _attempt in (1, 2):
            reused = conn.sock is not None
            try:
                conn.request("GET", path)
                resp = conn.getresponse()
                resp.read()
                status = resp.status
                retry_after = resp.getheader("Retry-After") if status == 503 else None
                if resp.will_close:
                    conn.close()
                break
            except (OSError, http.client.HTTPException):
                status = 0
                conn.close()
                if not reused:
                    break
        done = time.monotonic()
        # An export can outlast the warm-up: counted whenever it started.
        out.append((kind, status, (done - t) * 1000, t >= start or kind == "export"))
        if status == 503 and retry_after:  # a polite client waits as told, then tries again
            time.sleep(min(float(retry_after), max(0.0, stop - time.monotonic())))
    conn.close()


def generate(base_url: str, clients: int, seconds: float, export_clients: int, queue) -> None:
    """Entry point of the load process: the clients as threads, results back through ``queue``."""
    paths = mix_paths(base_url)
    api_kinds = [k for k, w in MIX_WEIGHTS.items() for _ in range(w)]
    start = time.monotonic() + WARM_UP_SECONDS
    stop = start + seconds
    out: list = []
    threads = [
        threading.Thread(
            target=_client,
            args=(
                urlsplit(base_url).netloc,
                ["export"] if i < export_clients else api_kinds,
                paths,
                start,
                stop,
                i,
                out,
            ),
        )
        for i in range(clients)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    queue.put(out)


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and its children: the server's own cost, whatever
    else the machine runs (it is shared: wall-clock figures depend on the load beside it)."""
    pids = [pid] + [int(p) for p in os.listdir("/proc") if p.isdigit() and _ppid(p) == pid]
    total = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            pass
    return total / os.sysconf("SC_CLK_TCK")


def _ppid(pid: str) -> int:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return int(f.read().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return -1


def run_load(server: Server, clients: int, seconds: float, export_clients: int = 0) -> tuple[list, float, float]:
    """(the measured samples, the measured seconds, server CPU-ms per request over the whole run)."""
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=generate, args=(server.url, clients, seconds, export_clients, queue))
    cpu = cpu_seconds(server.proc.pid)
    proc.start()
    out = queue.get(timeout=seconds + WARM_UP_SECONDS + 180)
    proc.join(30)
    cpu = cpu_seconds(server.proc.pid) - cpu  # includes mix_paths' first request, negligible
    return [s[:3] for s in out if s[3]], seconds, 1000 * cpu / max(1, len(out))


# -- figures ---------------------------------------------------------------------------------------
def percentile(xs: list[float], p: float) -> float:
    if not xs:
        return float("nan")
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def summary(samples: list, seconds: float, kinds: set[str] | None = None) -> dict:
    rows = [s for s in samples if kinds is None or s[0] in kinds]
    ok = [ms for _, status, ms in rows if status == 200]
    return {
        "n": len(rows),
        "ok": len(ok),
        "rps": len(ok) / seconds,
        "p50": percentile(ok, 50),
        "p95": percentile(ok, 95),
        "p99": percentile(ok, 99),
        "errors": sum(1 for _, s, _ in rows if s not in (200, 503)),
        "refused": sum(1 for _, s, _ in rows if s == 503),
    }


def verdict(ok: bool) -> str:
    return "meets" if ok else "MISSES"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=1756, help="articles in the index")
    ap.add_argument("--clients", type=int, default=16, help="concurrent keep-alive clients of the API mix")
    ap.add_argument("--seconds", type=float, default=20.0, help="measured seconds per scenario and server")
    ap.add_argument("--servers", default="gunicorn,werkzeug", help="which servers to measure, in order")
    ap.add_argument("--no-exports", action="store_true", help="skip the export-mix scenario")
    ap.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="API-mix runs per server, alternating servers (on a shared machine: the median round is compared)",
    )
    args = ap.parse_args(argv)
    names = [s.strip() for s in args.servers.split(",") if s.strip()]
    unknown = set(names) - set(SERVERS)
    if unknown:
        ap.error(f"unknown server(s) {', '.join(sorted(unknown))}; known: {', '.join(SERVERS)}")

    with tempfile.TemporaryDirectory(prefix="cds-http-bench-") as tmp:
        index_s = build_index(Path(tmp), args.n)
        print(
            f"CĐS Radar HTTP load bench — {args.n:,} articles (indexed in {index_s:.1f} s), "
            f"{os.cpu_count()} CPU(s), load from a separate process on loopback, "
            f"{WARM_UP_SECONDS:.0f} s warm-up then {args.seconds:.0f} s per scenario"
        )
        api, exports = {}, {}
        rows = []  # (label, server name, API-mix summary)
        for r in range(args.rounds):  # the servers alternate: both see the same load
            for name in names:
                server = Server(name, Path(tmp))
                try:
                    load = os.getloadavg()[0]
                    samples, secs, cpu_ms = run_load(server, args.clients, args.seconds)
                    rows.append(
                        (
                            name + (f" #{r + 1}" if args.rounds > 1 else ""),
                            name,
                            dict(summary(samples, secs), cpu_ms=cpu_ms, load=(load + os.getloadavg()[0]) / 2),
                        )
                    )
                    if r == 0 and not args.no_exports:
                        clients = 2 * args.clients
                        samples, secs, _ = run_load(server, clients, args.seconds, export_clients=max(1, clients // 4))
                        exports[name] = (summary(samples, secs, {"export"}), summary(samples, secs, set(MIX_WEIGHTS)))
                finally:
                    server.stop()
        for name in names:  # per server: the round of median req/s
            mine = sorted((s for _, n, s in rows if n == name), key=lambda s: s["rps"])
            api[name] = mine[(len(mine) - 1) // 2]

        print(
            f"\nAPI mix (search with facets : article : facets : HTML page = "
            f"{' : '.join(str(w) for w in MIX_WEIGHTS.values())}), {args.clients} clients"
        )
        cores = len(os.sched_getaffinity(0))
        print(
            f"  {'server':10s} {'req/s':>8s} {'p50 ms':>8s} {'p95 ms':>8s} {'p99 ms':>8s} {'errors':>7s} "
            f"{'CPU ms/req':>11s} {'est. req/s idle':>17s} {'load avg':>9s}"
        )
        for name, _, s in rows:
            # What the server's own CPU cost allows when it has the cores to itself (the load
            # generator's CPU aside): cores / CPU per request. "load avg": what else ran meanwhile.
            capacity = cores * 1000 / s["cpu_ms"] if s["cpu_ms"] else float("nan")
            print(
                f"  {name:10s} {s['rps']:8.0f} {s['p50']:8.1f} {s['p95']:8.1f} {s['p99']:8.1f} {s['errors']:7d} "
                f"{s['cpu_ms']:11.1f} {capacity:17.0f} {s['load']:9.1f}"
            )
        print(
            f"  {'target':10s} {'>= ' + str(int(TARGET_RPS)):>8s} {'':8s} {'':8s} {'<= ' + str(int(TARGET_P99_MS)):>8s}"
        )
        print(
            f"  CPU ms/req: the server processes' CPU time per request (load-independent); est. req/s idle: "
            f"{cores} cores / that, the ceiling with no other load and no lock (Werkzeug's one process "
            f"also waits on its GIL), the load generator's own CPU aside; load avg: the machine's 1-min load average meanwhile"
        )
        if "gunicorn" in api:
            g = api["gunicorn"]
            print(
                f"  gunicorn{' (median round)' if args.rounds > 1 else ''}: {verdict(g['rps'] >= TARGET_RPS)} the req/s target, "
                f"{verdict(g['p99'] <= TARGET_P99_MS)} the p99 target"
                + (f"; {g['rps'] / api['werkzeug']['rps']:.2f}x the dev server's req/s" if "werkzeug" in api else "")
            )
        if exports:
            clients = 2 * args.clients
            print(
                f"\nexport mix: {clients} clients, {max(1, clients // 4)} of them downloading whole-index CSV "
                f"exports back to back, the rest the API mix"
            )
            print(
                f"  {'server':10s} {'exports':>8s} {'p50 s':>7s} {'p95 s':>7s} {'refused':>8s} "
                f"{'API req/s':>10s} {'API p99 ms':>11s} {'errors':>7s}"
            )
            for name, (e, a) in exports.items():
                print(
                    f"  {name:10s} {e['ok']:8d} {e['p50'] / 1000:7.2f} {e['p95'] / 1000:7.2f} {e['refused']:8d} "
                    f"{a['rps']:10.0f} {a['p99']:11.1f} {e['errors'] + a['errors']:7d}"
                )
            print(
                "  refused = 503 with Retry-After (the client waits that long, then tries again): more exports "
                "than CDS_EXPORT_MAX_CONCURRENT at once in one process; exports are counted from the warm-up on"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
