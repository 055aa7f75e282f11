"""extract_lines: the JSON Lines route of a batch gives exactly the records' lines."""

from __future__ import annotations

from extract.batch import Failure, RecordLine, extract_lines, extract_paths


def test_lines_from_workers_equal_the_records_lines(seed_paths, tmp_path) -> None:
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    paths = [seed_paths[0], bad, seed_paths[3]]
    records = list(extract_paths(paths, jobs=1))
    lines = list(extract_lines(paths, jobs=2))
    assert [p for p, _ in lines] == [p for p, _ in records] == [str(p) for p in paths]
    for (_, rec), (_, line) in zip(records, lines, strict=True):
        if isinstance(rec, Failure):
            assert line == rec  # the same failure, named the same way
            continue
        assert isinstance(line, RecordLine)
        assert line.line == rec.dumps()
        assert (line.source, line.warnings) == (rec.source, rec.warnings)
