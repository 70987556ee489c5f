"""CĐS Radar search UI: a Flask app factory with one blueprint per area.

``create_app()`` reads settings from CDS_* environment variables (the only place the UI does);
tests pass ``create_app({"SETTINGS": Settings(DATA_DIR=...)})`` and get the same wiring.
"""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request

from config.redaction import Redactor, install_log_redaction
from config.settings import Settings
from indexer.timeutil import from_iso
from search_ui import backend, export_slots, security_headers
from search_ui.params import DEFAULT_PER_PAGE


def vn_datetime(value: str | None, with_time: bool = True) -> str:
    """ISO 8601 -> "15/03/2021 09:00" as Vietnamese readers write dates (day first)."""
    if not value:
        return ""
    d = from_iso(value)
    if d is None:
        return value
    return d.strftime("%d/%m/%Y %H:%M" if with_time and (d.hour or d.minute) else "%d/%m/%Y")


def safe_url(value: str | None) -> str:
    """Only http(s) links reach an href: a page's canonical URL could be ``javascript:``."""
    value = (value or "").strip()
    return value if value.lower().startswith(("http://", "https://")) else "#"


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__)
    test_config = dict(test_config or {})
    settings = test_config.pop("SETTINGS", None) or Settings.from_env()
    install_log_redaction(Redactor.from_settings(settings))  # no secret in any log line
    # FEED_TAG_AUTHORITY: the tag: URI authority of feed and entry ids (RFC 4151); change it only
    # with a new date, or every reader sees every entry as new.
    app.config.from_mapping(
        SETTINGS=settings,
        PER_PAGE=DEFAULT_PER_PAGE,
        EXPORT_MAX_ROWS=settings.EXPORT_MAX_ROWS,
        FEED_TAG_AUTHORITY="cds-radar.github.io,2025",
    )
    app.config.update(test_config)
    app.json.ensure_ascii = False  # Vietnamese stays readable in API responses
    backend.init_app(app, settings)
    security_headers.init_app(app)  # CSP, nosniff, Referrer-Policy, no framing: every response
    export_slots.init_app(app, int(settings.EXPORT_MAX_CONCURRENT))
    if settings.PUBLIC_URL:  # links in feeds and pages: the public address, not Host
        from search_ui.public_url import PublicUrl

        app.wsgi_app = PublicUrl(app.wsgi_app, settings.PUBLIC_URL)

    from search_ui.views import agreements, api, api_docs, feed, health, search

    app.register_blueprint(search.bp)
    app.register_blueprint(agreements.bp)
    api.register(app)  # /api/v1 and its alias /api
    app.register_blueprint(api_docs.bp)
    app.register_blueprint(feed.bp)
    app.register_blueprint(health.bp)
    app.jinja_env.filters["vn_datetime"] = vn_datetime
    app.jinja_env.filters["safe_url"] = safe_url

    def wants_json() -> bool:
        return request.path.startswith("/api/") or request.path == "/healthz"

    @app.errorhandler(404)
    def not_found(e):
        if wants_json():
            return jsonify(error="không tìm thấy địa chỉ này", status=404), 404
        return render_template(
            "search/error.html", title="Không tìm thấy trang", message="Địa chỉ này không tồn tại."
        ), 404

    @app.errorhandler(405)
    def bad_method(e):
        response = jsonify(error="phương thức không được hỗ trợ", status=405)
        if getattr(e, "valid_methods", None):  # RFC 9110: a 405 says which methods would do
            response.headers["Allow"] = ", ".join(sorted(e.valid_methods))
        return response, 405

    @app.errorhandler(500)
    def server_error(e):
        if wants_json():
            return jsonify(error="lỗi máy chủ, vui lòng thử lại sau", status=500), 500
        return render_template(
            "search/error.html", title="Lỗi hệ thống", message="Đã xảy ra lỗi. Vui lòng thử lại sau ít phút."
        ), 500

    return app
