"""``/healthz`` for operators and load balancers: 200 with the article count, 503 when down."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from indexer.backends import BackendError
from search_ui.backend import get_backend

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    name = current_app.config["SETTINGS"].BACKEND
    try:
        count = get_backend().count()
    except BackendError as e:
        return jsonify(status="error", backend=name, error=str(e)), 503
    return jsonify(status="ok", backend=name, articles=count)
