"""Reading plan files: decoding by detection, and one test per kind of bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest_read import NOT_A_PLAN_TEXT, encrypted_pdf, make_docx, make_pdf, zip_bomb_docx

from extract.model import Document
from extract.read import MAX_FILE_BYTES, decode, read, read_bytes, sniff_format
from kg.errors import InputFileError

SEED = "003_9aec27e272238e9b.txt"  # the smallest seed


@pytest.fixture(scope="module")
def seed_text(seed_paths) -> str:
    return next(p for p in seed_paths if p.name == SEED).read_text(encoding="utf-8")


def _record_json(path: Path) -> dict:
    from extract.batch import extract_file

    d = extract_file(path, with_text=True).to_json()
    del d["source"], d["sha256"]
    return d


# ----------------------------------------------------------------- encodings


@pytest.mark.slow
def test_gbk_and_utf16_copies_give_the_same_record(seed_text, tmp_path) -> None:
    records = {}
    for encoding in ("utf-8", "gbk", "utf-16"):
        folder = tmp_path / encoding
        folder.mkdir()
        path = folder / SEED  # same name, so the same doc_id
        path.write_bytes(seed_text.encode(encoding))
        assert read(path).encoding == {"utf-8": "utf-8", "gbk": "gb18030",
                                       "utf-16": "utf-16"}[encoding]
        records[encoding] = _record_json(path)
    assert records["gbk"] == records["utf-8"]
    assert records["utf-16"] == records["utf-8"]
    assert records["utf-8"]["metadata"]["title"]  # a real record, not an empty one


@pytest.mark.parametrize(("data", "encoding"), [
    ("\ufeff人力资源和社会保障".encode(), "utf-8-sig"),
    ("人力资源和社会保障\n2021年\n".encode("utf-16-le"), "utf-16-le"),  # no BOM
    ("人力资源和社会保障\n2021年\n".encode("utf-16-be"), "utf-16-be"),
    ("人力资源和社会保障".encode("utf-16"), "utf-16"),
    ("人力资源和社会保障".encode("utf-32"), "utf-32"),
    ("人力资源和社会保障事业发展规划".encode("gb18030"), "gb18030"),
    ("人力资源和社会保障事业发展规划".encode("gbk"), "gb18030"),
    ("人力资源".encode("gbk"), "gb18030"),  # short, even length, no NUL: not UTF-16
])
def test_decoding_by_detection_not_by_name(data: bytes, encoding: str) -> None:
    text, found = decode(data, source="plan.gbk.html")  # the name says nothing
    assert found == encoding
    assert text.startswith("人力资源")


def test_crlf_utf8_bom_file_reads_as_lf(tmp_path) -> None:
    path = tmp_path / "p.txt"
    path.write_bytes("\ufeff一、总体要求\r\n\r\n坚持 60 万人。\r\n".encode())
    doc = read(path)
    assert isinstance(doc, Document)
    assert doc.text == "一、总体要求\n\n坚持60万人。"
    assert doc.original == "一、总体要求\r\n\r\n坚持 60 万人。\r\n"
    assert doc.sha256 == __import__("hashlib").sha256(path.read_bytes()).hexdigest()
    assert doc.format == "txt" and doc.doc_id == "p"


@pytest.mark.parametrize(("head", "fmt"), [
    (b"%PDF-1.4\n", "pdf"), (b"PK\x03\x04", "docx"), (b"<!DOCTYPE html><html>", "html"),
    (b"  <html lang='zh'>", "html"), ("一、总体要求".encode(), "txt"),
])
def test_format_is_sniffed_from_content(head: bytes, fmt: str) -> None:
    assert sniff_format(head, source="noname") == fmt


# ----------------------------------------------------------------- bad input, one each


def test_empty_file(tmp_path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(InputFileError) as info:
        read(path)
    assert str(info.value) == f"{path}: is empty; give a plan document with text in it"


def test_blank_file_is_empty_too(tmp_path) -> None:
    path = tmp_path / "blank.txt"
    path.write_bytes(b"\r\n  \n\t\n")
    with pytest.raises(InputFileError, match="is empty"):
        read(path)


def test_binary_file(tmp_path) -> None:
    path = tmp_path / "plan.txt"  # named like a plan, but it is not text
    path.write_bytes(bytes(range(256)) * 64)
    with pytest.raises(InputFileError) as info:
        read(path)
    assert str(info.value) == (f"{path}: is a binary file, not a text document; plan files "
                               "are .txt, .docx, .pdf or .html")


def test_image_file_is_named(tmp_path) -> None:
    path = tmp_path / "scan.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 100)
    with pytest.raises(InputFileError, match="is a PNG image, not a plan document"):
        read(path)


def test_file_over_20_mb_is_refused_before_reading(tmp_path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:  # 20 MB of real text and one byte more
        line = "坚持以人民为中心的发展思想，推动高质量发展。\n".encode()
        for _ in range(MAX_FILE_BYTES // len(line) + 1):
            f.write(line)
    assert path.stat().st_size > MAX_FILE_BYTES
    t0 = time.perf_counter()
    with pytest.raises(InputFileError) as info:
        read(path)
    assert time.perf_counter() - t0 < 1.0  # refused from the size, not after reading
    assert str(info.value).startswith(f"{path}: is 20.0 MB, larger than the 20 MB limit; ")


@pytest.mark.slow
def test_six_million_character_line_reads_in_linear_time(tmp_path) -> None:
    path = tmp_path / "one-line.txt"
    unit = "城镇新增就业 60 万人次，城镇登记失业率控制在 3.5% 以内；"
    path.write_text(unit * (6_000_000 // len(unit) + 1), encoding="utf-8")
    t0 = time.perf_counter()
    doc = read(path)
    elapsed = time.perf_counter() - t0
    assert len(doc.original) >= 6_000_000
    assert "\n" not in doc.text
    assert doc.text.startswith("城镇新增就业60万人次，城镇登记失业率控制在3.5%以内；")
    # one run per dropped space, not a table with an entry per character
    assert len(doc.offsets.starts) == doc.original.count(" ") + 1
    assert elapsed < 60, elapsed


def test_non_plan_document_warns_with_null_metadata(tmp_path) -> None:
    from extract.batch import structure_document

    path = tmp_path / "notice.txt"
    path.write_text(NOT_A_PLAN_TEXT, encoding="utf-8")
    plan = structure_document(read(path))
    assert any(w.startswith("not a plan document") for w in plan.warnings), plan.warnings
    md = plan.metadata
    assert (md.title, md.period, md.start_year, md.end_year, md.region, md.doc_number,
            md.issue_date) == (None,) * 7


def test_truncated_docx(seed_text, tmp_path) -> None:
    data = make_docx(seed_text)
    path = tmp_path / "plan.docx"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputFileError) as info:
        read(path)
    assert str(info.value) == (f"{path}: is not a readable .docx: the ZIP archive is damaged "
                               "or truncated; save the document again and retry")


def test_truncated_pdf(tmp_path) -> None:
    data = make_pdf("一、总体要求\n坚持以人民为中心的发展思想。")
    path = tmp_path / "plan.pdf"
    path.write_bytes(data[: len(data) * 2 // 3])
    with pytest.raises(InputFileError) as info:
        read(path)
    assert str(info.value) == (f"{path}: is a truncated PDF (it has no %%EOF end marker); "
                               "download or export it again")


def test_encrypted_pdf(tmp_path) -> None:
    path = tmp_path / "locked.pdf"
    path.write_bytes(encrypted_pdf())
    with pytest.raises(InputFileError) as info:
        read(path)
    assert str(info.value) == (f"{path}: is an encrypted PDF that needs a password to open; "
                               "save an unprotected copy and try again")


def test_zip_bomb_docx_is_refused_before_inflating_and_memory_stays_low(tmp_path) -> None:
    path = tmp_path / "bomb.docx"
    path.write_bytes(zip_bomb_docx())
    assert path.stat().st_size < 512 * 1024  # ~0.4 MB on disk
    # in a fresh process, to measure its peak memory alone
    code = (
        "import json, resource, sys\n"
        "from extract.read import read\n"
        "from kg.errors import InputFileError\n"
        "try:\n"
        "    read(sys.argv[1]); message = None\n"
        "except InputFileError as exc:\n"
        "    message = str(exc)\n"
        "print(json.dumps([message, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                         text=True, timeout=120, env={**os.environ, "PYTHONHASHSEED": "0"})
    assert out.returncode == 0, out.stderr
    message, max_rss_kb = json.loads(out.stdout)
    assert message == (f"{path}: declares 4400 MB of content once inflated (limit 150 MB); "
                       "refused as a possible zip bomb")
    assert max_rss_kb < 512 * 1024, max_rss_kb


def test_zip_bomb_with_one_member_is_refused_by_its_ratio(tmp_path) -> None:
    path = tmp_path / "bomb1.docx"
    path.write_bytes(zip_bomb_docx(inflated_mb=100, aliases=0))
    with pytest.raises(InputFileError, match=r"member word/media/image1\.bin inflates \d+ "
                                             r"bytes to 104857600 bytes \(\d+:1\); refused as "
                                             r"a possible zip bomb"):
        read(path)


def test_pdf_without_a_text_layer(tmp_path) -> None:
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path), invariant=True)
    c.rect(100, 100, 300, 500, fill=1)  # an image of a page, no text
    c.save()
    with pytest.raises(InputFileError) as info:
        read(path)
    assert str(info.value) == (f"{path}: has no text layer (a scanned image?); run OCR on "
                               "it first")


def test_pdf_with_only_an_owner_password_reads(tmp_path) -> None:
    from reportlab.lib import pdfencrypt

    path = tmp_path / "protected.pdf"  # opens without a password; printing is restricted
    path.write_bytes(make_pdf("一、总体要求\n坚持以人民为中心的发展思想。", encrypt=(
        pdfencrypt.StandardEncryption("", ownerPassword="owner", canPrint=0))))
    doc = read(path)
    assert doc.text == "一、总体要求\n坚持以人民为中心的发展思想。"
    assert doc.warnings == ("the PDF's fonts could not be read for table cells; its text was "
                            "read without table structure",)


def test_zip_that_is_not_a_docx(tmp_path) -> None:
    import zipfile

    path = tmp_path / "archive.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "hello")
    with pytest.raises(InputFileError) as info:
        read(path)
    assert str(info.value) == (f"{path}: is a ZIP archive but not a Word .docx document (it "
                               "has no word/document.xml)")


def test_missing_file_and_directory(tmp_path) -> None:
    with pytest.raises(InputFileError) as info:
        read(tmp_path / "nope.txt")
    assert str(info.value) == f"{tmp_path / 'nope.txt'}: no such file"
    with pytest.raises(InputFileError, match="is a directory"):
        read(tmp_path)


def test_read_bytes_names_the_source() -> None:
    with pytest.raises(InputFileError) as info:
        read_bytes(b"", source="upload #3")
    assert info.value.path == "upload #3"
    assert info.value.problem.startswith("is empty")
