"""Settings are the one home of defaults; each carries help text and obeys CDS_* overrides."""

import pytest

from config.settings import SETTINGS, Settings


def test_every_setting_has_help_text():
    missing = [s.name for s in SETTINGS if len(s.help.strip()) < 10]
    assert missing == []


def test_environment_overrides_are_typed():
    s = Settings.from_env({"CDS_UI_PORT": "5055", "CDS_BACKEND": "elasticsearch", "CDS_TOPIC_THRESHOLD": "2.5"})
    assert s.UI_PORT == 5055 and s.BACKEND == "elasticsearch" and s.TOPIC_THRESHOLD == 2.5


def test_bad_environment_value_names_the_variable():
    with pytest.raises(ValueError, match="CDS_UI_PORT"):
        Settings.from_env({"CDS_UI_PORT": "five thousand"})


def test_unknown_override_is_refused():
    with pytest.raises(KeyError, match="NOPE"):
        Settings(NOPE=1)


def test_misspelt_boolean_is_refused_not_read_as_false():
    assert Settings.from_env({"CDS_CRAWL_WARC": "off"}).CRAWL_WARC is False
    with pytest.raises(ValueError, match="CDS_CRAWL_WARC"):
        Settings.from_env({"CDS_CRAWL_WARC": "flase"})
