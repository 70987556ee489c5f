"""Blueprints: ``search`` (HTML), ``api`` (JSON and CSV), ``feed`` (Atom), ``health``."""
