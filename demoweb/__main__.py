"""`python -m demoweb serve [--port 8800] [--articles N] [--seed 1]` — run until SIGTERM/SIGINT.

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
    default_port = Settings.from_env().DEMO_PORT     # CDS_DEMO_PORT, read here at the edge
    parser = argparse.ArgumentParser(prog="python -m demoweb")
    sub = parser.add_subparsers(dest="cmd", required=True)
    for name in ("serve", "truth"):
        p = sub.add_parser(name)
        p.add_argument("--port", type=int, default=default_port)
        p.add_argument("--articles", type=int, default=None, help="add N generated articles")
        p.add_argument("--seed", type=int, default=1)
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
    done.wait()
    web.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
