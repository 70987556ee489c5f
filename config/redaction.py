"""Secrets never leave the process: credentials in URLs, API keys and basic-auth passwords are
replaced by ``***`` in every log line (a log-record factory, so it holds for every logger and
handler, including ones created later) and wherever an error text is shown to someone (the UI's
error replies and health output call :func:`redact`).

What is secret: the password of any ``scheme://user:password@host`` URL in any text; the values
of settings whose names say so (``*_KEY``, ``*PASSWORD*``, ``*TOKEN*``, ``*SECRET*``); the
password part of a setting URL, also as it travels base64-encoded in a Basic Authorization header;
and the token of any ``Authorization: Basic|Bearer|ApiKey`` header.
"""

from __future__ import annotations

import base64
import logging
import re
from collections.abc import Iterable
from urllib.parse import unquote, urlsplit

MASK = "***"
SECRET_NAME = re.compile(r"(KEY|PASSWORD|PASSWD|TOKEN|SECRET)", re.I)
URL_USERINFO = re.compile(r"(?P<scheme>\b[a-z][a-z0-9+.-]*://)(?P<user>[^/\s:@'\"]*):(?P<pw>[^/\s@'\"]+)@", re.I)
AUTH_HEADER = re.compile(r"(?i)(authorization['\"]?\s*[:=]\s*['\"]?(?:basic|bearer|apikey)\s+)[^\s'\",}]+")


def redact_url(url: str) -> str:
    """``http://elastic:PASS@host:9200`` -> ``http://elastic:***@host:9200``."""
    return URL_USERINFO.sub(lambda m: f"{m['scheme']}{m['user']}:{MASK}@", url or "")


class Redactor:
    def __init__(self, secrets: Iterable[str] = ()) -> None:
        # longest first, so a secret containing another is masked whole
        self.secrets = sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True)

    @classmethod
    def from_settings(cls, settings) -> Redactor:
        values = settings.as_dict() if hasattr(settings, "as_dict") else dict(settings)
        secrets = []
        for name, value in values.items():
            if not isinstance(value, str) or not value:
                continue
            if SECRET_NAME.search(name):
                secrets.append(value)
            parts = urlsplit(value) if "://" in value else None
            if parts is not None and parts.password:
                user, password = unquote(parts.username or ""), unquote(parts.password)
                secrets += [parts.password, password, base64.b64encode(f"{user}:{password}".encode()).decode()]
        return cls(secrets)

    def __call__(self, text: str) -> str:
        if not text:
            return text
        text = URL_USERINFO.sub(lambda m: f"{m['scheme']}{m['user']}:{MASK}@", text)
        text = AUTH_HEADER.sub(lambda m: m.group(1) + MASK, text)
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, MASK)
        return text


_active: Redactor = Redactor()
_installed = False


def redact(text: str) -> str:
    """Mask secrets with the process's redactor (the one :func:`install_log_redaction` set)."""
    return _active(str(text))


def install_log_redaction(redactor: Redactor) -> None:
    """Every log record is redacted when it is made: its message formatted and masked, and its
    exception text masked too. Idempotent; a later call replaces the secrets."""
    global _active, _installed
    _active = redactor
    if _installed:
        return
    _installed = True
    make_record = logging.getLogRecordFactory()
    formatter = logging.Formatter()

    def redacting_record(*args, **kwargs):
        record = make_record(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: leave it to logging's own report
            return record
        masked = _active(message)
        if masked != message or record.args:
            record.msg, record.args = masked, None
        if record.exc_info and record.exc_info[0] is not None:
            record.exc_text = _active(formatter.formatException(record.exc_info))
        return record

    logging.setLogRecordFactory(redacting_record)
