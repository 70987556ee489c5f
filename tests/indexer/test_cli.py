"""``python -m indexer`` as a person debugging a source runs it (a real subprocess)."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"


def run(*args, stdin=None):
    return subprocess.run(
        [sys.executable, "-m", "indexer", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def test_extract_file_json_has_every_field():
    out = run(
        "extract",
        str(FIXTURES / "seed_004_diendandoanhnghiep.html"),
        "--json",
        "--url",
        "https://diendandoanhnghiep.vn/bac-kan-vnpt-185001.html",
    )
    assert out.returncode == 0, out.stderr
    d = json.loads(out.stdout)
    from indexer.article import Article

    assert set(Article.__dataclass_fields__) | {"id"} == set(d)
    assert d["provinces_current"] == ["Thái Nguyên"] and d["partners"] == ["VNPT"]
    assert d["periods"] == [[2020, 2025]] and d["published"] == "2020-06-05T10:17:00+07:00"


def test_extract_from_the_demo_web_with_a_source_prints_fields():
    from demoweb import DemoWeb

    with DemoWeb(port=0) as web:
        truth = next(t for t in web.ground_truth() if t["site"] == "backan-portal")
        out = subprocess.run(
            [sys.executable, "-m", "indexer", "extract", truth["url"], "--source", "backan-portal"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=120,
            env={"CDS_DEMO_PORT": str(web.port), "PATH": "/usr/bin:/bin"},
        )
    assert out.returncode == 0, out.stderr
    from indexer.normalize import canonical_lines

    assert f"title: {canonical_lines(truth['title'])}\n" in out.stdout
    assert "source_province: Bắc Kạn" in out.stdout
    assert "primary_province_current: " in out.stdout and "[1] " in out.stdout


def test_extract_non_html_is_a_clear_error(tmp_path):
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF-1.7\n...")
    out = run("extract", str(pdf))
    assert out.returncode == 2 and "not an HTML page" in out.stderr


def test_normalize_reads_lines_and_prints_canonical_tab_key():
    out = run("normalize", stdin="Thanh Hoá\nÐỒNG THÁP\nchuye\u0302\u0309n đổi số\n")
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["Thanh Hóa\tthanh hoa", "ĐỒNG THÁP\tdong thap", "chuyển đổi số\tchuyen doi so"]


def test_words_shows_how_the_search_reads_a_query():
    d = json.loads(run("words", "CĐS tỉnh Thanh Hoa tuyển dụng -Viettel").stdout)
    assert [w["word"] for w in d["words"]] == ["CĐS", "Thanh Hoa", "tuyển dụng"]
    assert "chuyển đổi số" in d["words"][0]["matches"]
    assert d["words"][1]["names"] == {"facet": "province", "value": "Thanh Hóa"}
    assert [w["word"] for w in d["excluded"]] == ["Viettel"]
    assert json.loads(run("words", "Tuyen Quag").stdout)["correction"] == "Tuyên Quang"
