"""``python -m search_ui``: serve the UI on UI_HOST:UI_PORT with Werkzeug's simple threaded server.

This is the demo and development server (`make run`): one process, a thread per connection, no
timeouts for slow or idle clients. Production runs gunicorn: `make serve`, configured by
search_ui/gunicorn_conf.py. Prints one "ready" line only once the socket is bound, so scripts and
tests can wait for it.
"""

from __future__ import annotations

import sys

from werkzeug.serving import WSGIRequestHandler, make_server

from config.settings import Settings
from indexer.segmentation import warm_up
from search_ui import create_app


class QuietHandler(WSGIRequestHandler):
    """No version banner: ``Server: Werkzeug``, not "Werkzeug/3.1.9 Python/3.11.2"."""

    def version_string(self) -> str:
        return "Werkzeug"


def main() -> int:
    settings = Settings.from_env()
    app = create_app({"SETTINGS": settings})
    warm_up()  # the word segmenter loads in ~1.5 s: before "ready", not on the first search
    try:
        server = make_server(settings.UI_HOST, int(settings.UI_PORT), app, threaded=True, request_handler=QuietHandler)
    except OSError as e:
        print(
            f"CĐS Radar UI cannot listen on {settings.UI_HOST}:{settings.UI_PORT}: {e} "
            f"(set CDS_UI_PORT to another port)",
            file=sys.stderr,
        )
        return 1
    print(f"CĐS Radar UI ready at http://{settings.UI_HOST}:{server.server_port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        app.extensions["cds_backend"].close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
