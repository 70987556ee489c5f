"""Blueprints: ``search`` (HTML), ``api`` (JSON and CSV), ``health``."""
