"""docker-compose.yml: the settings it wires are real settings, and Compose accepts the file.

``docker compose config`` (or Debian's ``docker-compose config``, which validates against its
bundled compose-spec schema) runs when one of them is installed; the wiring checks always run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from config.settings import SETTINGS

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
KNOWN = {s.name for s in SETTINGS}


def compose_command() -> list[str] | None:
    if shutil.which("docker") and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0:
        return ["docker", "compose"]
    return ["docker-compose"] if shutil.which("docker-compose") else None


@pytest.mark.parametrize("service", ["crawler", "ui"])
def test_every_cds_variable_is_a_setting_and_the_backend_is_elasticsearch(service):
    env = COMPOSE["services"][service]["environment"]
    names = {k[len("CDS_") :] for k in env if k.startswith("CDS_")}
    assert names <= KNOWN, names - KNOWN
    assert env["CDS_BACKEND"] == "elasticsearch"
    assert (
        env["CDS_ES_URL"].startswith("http://elastic:${ELASTIC_PASSWORD") and "@elasticsearch:9200" in env["CDS_ES_URL"]
    )
    assert COMPOSE["services"][service]["depends_on"]["elasticsearch"]["condition"] == "service_healthy"


def test_elasticsearch_is_single_node_with_security_on_and_loopback_only():
    es = COMPOSE["services"]["elasticsearch"]
    assert es["environment"]["discovery.type"] == "single-node"
    assert es["environment"]["xpack.security.enabled"] == "true"
    assert "ELASTIC_PASSWORD:?" in es["environment"]["ELASTIC_PASSWORD"]  # required, no default
    assert all(p.startswith("127.0.0.1:") for s in COMPOSE["services"].values() for p in s.get("ports", []))
    assert re.search(r"elasticsearch:\$\{CDS_ES_VERSION:-9\.", es["image"])  # the client speaks 9


def test_compose_accepts_the_file_and_requires_a_password():
    cmd = compose_command()
    if cmd is None:
        pytest.skip("neither `docker compose` nor `docker-compose` is installed")
    env = {**os.environ, "ELASTIC_PASSWORD": "not-a-real-one"}
    ok = subprocess.run([*cmd, "config", "--quiet"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    env.pop("ELASTIC_PASSWORD")
    refused = subprocess.run([*cmd, "config", "--quiet"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert refused.returncode != 0 and "set ELASTIC_PASSWORD" in refused.stderr
