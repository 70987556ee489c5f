#!/usr/bin/env python3
"""Wait until the Elasticsearch at CDS_ES_URL answers cluster health yellow or green (make es-test).

    python scripts/wait_for_es.py [SECONDS]

Exit 0 when it does, 1 after SECONDS (default 240) with the last error; the URL's password is
never printed.
"""

from __future__ import annotations

import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from config.redaction import redact, redact_url  # noqa: E402


def main(argv: list[str]) -> int:
    from elasticsearch import Elasticsearch

    url = os.environ.get("CDS_ES_URL", "")
    if not url:
        print("CDS_ES_URL is not set", file=sys.stderr)
        return 1
    deadline, last = time.monotonic() + float(argv[0] if argv else 240), ""
    client = Elasticsearch(url, api_key=os.environ.get("CDS_ES_API_KEY") or None, request_timeout=10, max_retries=0)
    while time.monotonic() < deadline:
        try:
            health = client.cluster.health(wait_for_status="yellow", timeout="5s")
            if health["status"] in ("yellow", "green"):
                print(f"Elasticsearch at {redact_url(url)}: {health['status']}")
                return 0
            last = f"health {health['status']}"
        except Exception as e:  # not up yet: connection refused, 401 while security starts...
            last = f"{type(e).__name__}: {e}"
        time.sleep(3)
    print(f"Elasticsearch at {redact_url(url)} not ready: {redact(last)}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
