"""Block until the demo web answers (used by `make run` between starting it and crawling)."""

import sys
import time
import urllib.request

port = int(sys.argv[1]) if len(sys.argv) > 1 else 8800
deadline = time.monotonic() + 60
while True:
    try:
        urllib.request.urlopen(f"http://127.0.0.11:{port}/robots.txt", timeout=2).read()
        print(f"demo web is up on port {port}")
        break
    except OSError:
        if time.monotonic() > deadline:
            sys.exit(f"demo web did not start on port {port} within 60 s: see data/demoweb.log")
        time.sleep(0.3)
