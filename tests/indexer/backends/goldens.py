"""Golden files under golden/: JSON a reviewer reads as a diff when a body or a message changes.

``CDS_UPDATE_GOLDEN=1 pytest tests/indexer/backends`` (re)writes them deliberately; otherwise a
missing file fails, since writing it on the spot would compare the output with itself.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden"


def check_golden(name: str, data, folder: Path | None = None) -> None:
    path = (folder or GOLDEN) / f"{name}.json"
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if os.environ.get("CDS_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    if not path.exists():
        pytest.fail(f"golden file {path} is missing: generate it with CDS_UPDATE_GOLDEN=1, then review it")
    assert json.loads(path.read_text(encoding="utf-8")) == json.loads(text), f"differs from {path}"
