"""`python -m demoweb serve [--port 8800] [--articles N] [--seed 1]` — run until SIGTERM/SIGINT.

`--outage AFTER:FOR` takes every site down (connections refused) AFTER seconds after start, for
FOR seconds; SIGUSR1 takes them down or brings them back by hand (`kill -USR1 <pid>`).

Also `python -m demoweb truth [--port 8800] [--articles N]`: print the ground truth as JSON lines
(URLs with that port) for scripts that do not import Python.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading

from config.settings import Settings

from .server import DemoWeb


def main(argv: list[str] | None = None) -> int:
    default_port = Settings.from_env().DEMO_PORT  # CDS_DEMO_PORT, read here at the edge
    parser = argparse.ArgumentParser(prog="python -m demoweb")
    sub = parser.add_subparsers(dest="cmd", required=True)
    for name in ("serve", "truth"):
        p = sub.add_parser(name)
        p.add_argument("--port", type=int, default=default_port)
        p.add_argument("--articles", type=int, default=None, help="add N generated articles")
        p.add_argument("--seed", type=int, default=1)
        if name == "serve":
            p.add_argument(
                "--outage",
                default="",
                metavar="AFTER:FOR",
                help="refuse connections AFTER seconds after start, for FOR seconds",
            )
    args = parser.parse_args(argv)
    web = DemoWeb(port=args.port, articles=args.articles, seed=args.seed)
    if args.cmd == "truth":
        for rec in web.ground_truth():
            print(json.dumps(rec, ensure_ascii=False))
        return 0
    web.start()
    for site in web.sites:
        print(f"{site.name}  {site.base_url}", flush=True)
    print("demo web ready", flush=True)
    done = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: done.set())
    signal.signal(signal.SIGUSR1, lambda *_: threading.Thread(target=_toggle, args=(web,)).start())
    if args.outage:
        after, length = (float(x) for x in args.outage.split(":"))
        threading.Thread(target=_scheduled_outage, args=(web, after, length, done), daemon=True).start()
    done.wait()
    web.stop()
    return 0


def _toggle(web: DemoWeb) -> None:
    if web._servers:
        web.go_down()
        print("demo web DOWN (connections refused)", flush=True)
    else:
        web.come_back()
        print("demo web back up", flush=True)


def _scheduled_outage(web: DemoWeb, after: float, length: float, done: threading.Event) -> None:
    if done.wait(after):
        return
    web.go_down()
    print(f"demo web DOWN for {length:.0f}s (connections refused)", flush=True)
    done.wait(length)
    web.come_back()
    print("demo web back up", flush=True)


if __name__ == "__main__":
    sys.exit(main())
