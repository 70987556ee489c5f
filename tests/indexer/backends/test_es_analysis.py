"""The analysis chain of the Elasticsearch index, stage by stage, on one Vietnamese sentence.

``twin`` replays in Python what index_settings() asks Elasticsearch to do (the same regexes and
filters, read from the settings themselves). Offline it checks the README's worked example; with
CDS_ES_URL (make es-test) the live test asks the cluster's ``_analyze`` for the same sentence and
compares position by position, so the README describes what Elasticsearch really does.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from indexer.backends.es_bodies import index_settings
from indexer.normalize import fold
from tests.indexer.backends.conftest import drop, make_backend

SENTENCE = "Ngày 5/3, UBND tỉnh Thanh Hóa và VNPT ký kết thỏa thuận (giai đoạn 2021-2025) về chuyển đổi số."
README = Path(__file__).resolve().parents[3] / "README.md"
ANALYSIS = index_settings()["settings"]["analysis"]


def twin(text: str, analyzer: str = "cds_vi") -> dict:
    """Each stage's output; ``positions``: position -> sorted tokens, as _analyze reports them."""
    a = ANALYSIS["analyzer"][analyzer]
    stages: dict = {}
    for name in a.get("char_filter", []):
        cf = ANALYSIS["char_filter"][name]
        text = re.sub(cf["pattern"], cf["replacement"].replace("$", "\\"), text)
        stages["char_filter"] = text
    tok = ANALYSIS["tokenizer"].get(a["tokenizer"])
    if tok:  # pattern tokenizer, group 0: the matches (Java's \p{L}\p{N} is Python's [^\W_])
        assert tok["pattern"] == r"[\p{L}\p{N}]+" and tok["group"] == 0
        tokens = [[t] for t in re.findall(r"[^\W_]+", text)]
    else:
        assert a["tokenizer"] == "whitespace"
        tokens = [[t] for t in text.split()]
    stages["tokenizer"] = [t[0] for t in tokens]
    for name in a.get("filter", []):
        f = ANALYSIS["filter"].get(name, {"type": name})
        if f["type"] == "lowercase":
            tokens = [[t.lower() for t in ts] for ts in tokens]
        elif f["type"] == "pattern_replace":
            tokens = [[re.sub(f["pattern"], f["replacement"].replace("$", "\\"), t) for t in ts] for ts in tokens]
        elif f["type"] == "asciifolding":
            tokens = [
                ts if not ts else sorted({fold(ts[0]), ts[0]} if f.get("preserve_original") else {fold(ts[0])})
                for ts in tokens
            ]
        elif f["type"] == "stop":  # removed, the position kept as a hole
            tokens = [[t for t in ts if t not in f["stopwords"]] for ts in tokens]
        elif f["type"] == "length":
            tokens = [[t for t in ts if len(t) <= f["max"]] for ts in tokens]
        else:
            raise AssertionError(f"the twin does not know filter type {f['type']}")
        stages[name] = [ts[:] for ts in tokens]
    stages["positions"] = {i: sorted(ts) for i, ts in enumerate(tokens) if ts}
    return stages


def readme_example() -> str:
    text = README.read_text(encoding="utf-8")
    m = re.search(r"<!-- analysis-example -->\n```text\n(.*?)```", text, re.S)
    assert m, "README's Elasticsearch section lost its analysis example"
    return m.group(1)


def render_example() -> str:
    s = twin(SENTENCE)
    pos = s["positions"]
    words = lambda ts: " ".join("/".join(t) if len(t) > 1 else (t[0] if t else "·") for t in ts)  # noqa: E731
    return (
        "\n".join(
            [
                f"text          {SENTENCE}",
                f"cds_punct_gap {s['char_filter'].strip()}",
                f"cds_syllables {' '.join(s['tokenizer'])}",
                f"lowercase     {words(s['lowercase'])}",
                f"cds_iy_*      {words(s['cds_iy_5'])}",
                f"cds_fold      {words(s['cds_fold'])}",
                f"cds_gap_stop  {words(s['cds_gap_stop'])}",
                f"positions     {len(pos)} tokens' positions: {' '.join(str(p) for p in pos)}",
            ]
        )
        + "\n"
    )


def test_readme_example_is_what_the_chain_does():
    assert readme_example() == render_example()


def test_gap_leaves_a_hole_and_folding_keeps_both_keys():
    pos = twin(SENTENCE)["positions"]
    assert pos[0] == ["ngay", "ngày"] and pos[10] == ["ki", "kí"]  # ký -> kí, folded beside it
    assert 3 not in pos  # ", " became a hole
    exact = twin(SENTENCE, "cds_exact")["positions"]
    assert exact[0] == ["ngày"] and set(exact) == set(pos)


@pytest.mark.parametrize("analyzer", ["cds_vi", "cds_exact"])
def test_live_cluster_analyzes_as_the_twin(analyzer, tmp_path):
    backend = make_backend("elasticsearch", tmp_path)  # skips without CDS_ES_URL, saying why
    try:
        backend.ensure_index()
        res = backend._client.indices.analyze(index=backend.alias, analyzer=analyzer, text=SENTENCE)
        live: dict[int, list[str]] = {}
        for t in res["tokens"]:
            live.setdefault(t["position"], []).append(t["token"])
        assert {p: sorted(ts) for p, ts in live.items()} == twin(SENTENCE, analyzer)["positions"]
    finally:
        drop(backend)
