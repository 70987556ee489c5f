"""Configuration: settings with their help text (settings.py) and the YAML files beside it."""
