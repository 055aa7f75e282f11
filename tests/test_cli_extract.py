"""``kg extract`` and ``kg inspect``: exit codes and the exact text users see."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest_read import (
    NOT_A_PLAN_TEXT,
    encrypted_pdf,
    make_docx,
    make_pdf,
    zip_bomb_docx,
)
from typer.testing import CliRunner

from extract.model import RECORD_KEYS
from kg.cli import app, main

SEED = "003_9aec27e272238e9b"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the CLI as the `kg` script does (errors turned into messages), capture output."""
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture(autouse=True)
def _wide_console(monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "400")  # Rich wraps at 80 columns when not on a terminal


@pytest.fixture(scope="module")
def seed(seed_paths) -> Path:
    return next(p for p in seed_paths if p.stem == SEED)


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory, seed) -> dict[str, tuple[Path, str]]:
    """One file per kind of bad input, with the exact message each must give."""
    folder = tmp_path_factory.mktemp("bad")
    text = seed.read_text(encoding="utf-8")
    files: dict[str, tuple[Path, str]] = {}

    def add(name: str, filename: str, data: bytes, problem: str) -> None:
        path = folder / filename
        path.write_bytes(data)
        files[name] = (path, f"{path}: {problem}")

    add("empty", "empty.txt", b"", "is empty; give a plan document with text in it")
    add("binary", "binary.txt", bytes(range(256)) * 64,
        "is a binary file, not a text document; plan files are .txt, .docx, .pdf or .html")
    docx = make_docx(text)
    add("truncated docx", "truncated.docx", docx[: len(docx) // 2],
        "is not a readable .docx: the ZIP archive is damaged or truncated; save the "
        "document again and retry")
    pdf = make_pdf("一、总体要求\n坚持以人民为中心的发展思想。")
    add("truncated pdf", "truncated.pdf", pdf[: len(pdf) * 2 // 3],
        "is a truncated PDF (it has no %%EOF end marker); download or export it again")
    add("encrypted pdf", "encrypted.pdf", encrypted_pdf(),
        "is an encrypted PDF that needs a password to open; save an unprotected copy and "
        "try again")
    add("zip bomb", "bomb.docx", zip_bomb_docx(),
        "declares 4400 MB of content once inflated (limit 150 MB); refused as a possible "
        "zip bomb")
    big = folder / "big.txt"
    with big.open("wb") as f:
        f.truncate(21 * 1024 * 1024)  # sparse, but its size is what is checked first
        f.seek(0)
        f.write("一、总体要求".encode())
    files["over 20 MB"] = (big, f"{big}: is 21.0 MB, larger than the 20 MB limit; split it, "
                                "or call extract.read.read with a larger max_bytes if it "
                                "really is one plan document")
    return files


# ----------------------------------------------------------------- kg extract


def test_extract_prints_one_record_per_line_with_text(capsys, seed) -> None:
    code, out, err = run(capsys, "extract", seed, "--with-text")
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert set(RECORD_KEYS) <= set(record) and "text" in record
    assert record["doc_id"] == SEED and record["source"] == str(seed)
    text = record["text"]
    for s in record["sections"]:
        assert text[s["title_start"]:s["title_end"]] == s["title"]
    for e in record["entities"]:
        for m in e["mentions"]:
            assert text[m["start"]:m["end"]] in e["surface"] or e["type"] == "Theme"
    assert err == ""


@pytest.mark.parametrize("name", ["empty", "binary", "truncated docx", "truncated pdf",
                                  "encrypted pdf", "zip bomb", "over 20 MB"])
def test_extract_bad_file_exits_2_with_its_message(capsys, bad_files, name: str) -> None:
    path, message = bad_files[name]
    code, out, err = run(capsys, "extract", path)
    assert code == 2, err
    assert out == ""
    assert err == f"error: {message}\n1 of 1 file(s) failed\n"


def test_batch_goes_on_past_bad_files_and_reports_them_at_the_end(capsys, tmp_path, seed,
                                                                   bad_files) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    shutil.copy(seed, folder / seed.name)
    (folder / "a-empty.txt").write_bytes(b"")
    (folder / "notes.md").write_text("not a plan file name: skipped", encoding="utf-8")
    code, out, err = run(capsys, "extract", folder, bad_files["encrypted pdf"][0])
    assert code == 2
    assert [json.loads(line)["doc_id"] for line in out.splitlines()] == [SEED]
    assert err == (f"error: {folder / 'a-empty.txt'}: is empty; give a plan document with "
                   f"text in it\nerror: {bad_files['encrypted pdf'][1]}\n2 of 3 file(s) "
                   "failed\n")


def test_non_plan_document_warns_and_exits_0(capsys, tmp_path) -> None:
    path = tmp_path / "notice.txt"
    path.write_text(NOT_A_PLAN_TEXT, encoding="utf-8")
    code, out, err = run(capsys, "extract", path)
    assert code == 0, err
    record = json.loads(out)
    assert all(v in (None, []) for v in record["metadata"].values()), record["metadata"]
    assert any(w.startswith("not a plan document") for w in record["warnings"])
    assert err.startswith(f"warning: {path}: not a plan document")


def test_directory_without_plan_files(capsys, tmp_path) -> None:
    (tmp_path / "readme.md").write_text("nothing here", encoding="utf-8")
    code, out, err = run(capsys, "extract", tmp_path)
    assert code == 2 and out == ""
    assert err == (f"error: {tmp_path}: is a directory with no plan files (*.txt *.docx "
                   "*.pdf *.html *.htm) in it\n")


def test_missing_file(capsys, tmp_path) -> None:
    code, _, err = run(capsys, "extract", tmp_path / "nope.txt")
    assert code == 2
    assert err == f"error: {tmp_path / 'nope.txt'}: no such file\n1 of 1 file(s) failed\n"


def test_text_format_summarises(capsys, seed) -> None:
    code, out, err = run(capsys, "extract", seed, "--format", "text")
    assert code == 0, err
    first = out.splitlines()[0]
    # the plan's title, read off the document
    assert first == f"{SEED}  南通市“十四五”人力资源和社会保障发展规划"


def test_docx_and_pdf_inputs_give_records(capsys, tmp_path, seed) -> None:
    text = seed.read_text(encoding="utf-8")
    (tmp_path / "plan.docx").write_bytes(make_docx(text))
    code, out, err = run(capsys, "extract", tmp_path / "plan.docx")
    assert code == 0, err
    assert json.loads(out)["metadata"]["title"] == "南通市“十四五”人力资源和社会保障发展规划"


def test_no_traceback_reaches_the_user(bad_files) -> None:
    path, message = bad_files["truncated pdf"]
    kg = Path(sys.executable).parent / "kg"
    proc = subprocess.run([str(kg), "extract", str(path)], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "COLUMNS": "40"})
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.splitlines()[0] == f"error: {message}"  # one line, even if narrow


@pytest.mark.slow
def test_help_example_jobs_2_output_is_identical_to_jobs_1(capsys, tmp_path,
                                                           seed_paths) -> None:
    folder = tmp_path / "data"  # `kg extract data/ -j 2`, on three seeds to keep it short
    folder.mkdir()
    for path in seed_paths[2:]:
        shutil.copy(path, folder / path.name)
    (folder / "002a-broken.pdf").write_bytes(b"%PDF-1.4\n")  # a failure in the middle
    code2, out2, err2 = run(capsys, "extract", folder, "-j", "2")
    code1, out1, err1 = run(capsys, "extract", folder)
    assert code1 == code2 == 2
    assert out1 == out2
    assert err1 == err2 == (f"error: {folder / '002a-broken.pdf'}: is a truncated PDF (it has "
                            "no %%EOF end marker); download or export it again\n"
                            "1 of 4 file(s) failed\n")
    assert [json.loads(line)["doc_id"] for line in out1.splitlines()] == [
        p.stem for p in seed_paths[2:]]


def test_help_texts_carry_an_example() -> None:
    runner = CliRunner()
    for command in ("extract", "inspect"):
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0, result.output
        assert "Example: kg " in result.output


# ----------------------------------------------------------------- kg inspect


def test_inspect_shows_metadata_sections_boxes_and_tables(capsys, seed_paths) -> None:
    path = next(p for p in seed_paths if p.stem == "004_7f774147c20b4d40")
    code, out, err = run(capsys, "inspect", path, "--rows", "0")
    assert code == 0, err
    assert "metadata" in out
    assert "海宁市" in out and "county-level-city" in out
    # headings, a 专栏 item and a table cell read off the document
    for expected in ("规划背景", "总体要求", "“潮城创梦”创业项目", "[12.86]", "预期性"):
        assert expected in out, expected


def test_inspect_bad_file(capsys, bad_files) -> None:
    path, message = bad_files["empty"]
    code, out, err = run(capsys, "inspect", path)
    assert code == 2 and out == ""
    assert err == f"error: {message}\n"
