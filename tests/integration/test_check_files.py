"""`eloan check-files` compares the stored-files table with the upload folder: missing and altered files
fail the check (exit 1); files no row names are listed and left alone."""

from __future__ import annotations

from pathlib import Path

from eloan.extensions import db
from eloan.services import files


def _stored(content: bytes, name: str):
    stored = files.store(None, content, name)
    db.session.commit()
    return stored


def test_check_files_finds_missing_and_altered_files_and_lists_orphans(app, db):
    _stored(b"%PDF-1.4 intact", "完好.pdf")
    gone = _stored(b"%PDF-1.4 gone", "丢失.pdf")
    altered = _stored(b"%PDF-1.4 altered", "被改.pdf")
    files.path_of(gone).unlink()
    files.path_of(altered).write_bytes(b"%PDF-1.4 something else")
    orphan = Path(app.config["UPLOAD_DIR"]) / "zz" / "left-behind.part"
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"half")

    result = app.test_cli_runner().invoke(args=["eloan", "check-files"])

    assert result.exit_code == 1
    assert "文件记录 3 条，不同内容 3 个" in result.output
    assert f"缺失：{files.path_of(gone)}" in result.output and "丢失.pdf" in result.output
    assert f"内容不符（校验值与文件名不一致）：{files.path_of(altered)}" in result.output
    assert f"无记录的文件（未删除）：{orphan}" in result.output and orphan.exists()
    assert "缺失 1 个，内容不符 1 个" in result.output


def test_check_files_passes_when_every_row_has_its_file(app, db):
    _stored(b"%PDF-1.4 intact", "完好.pdf")
    result = app.test_cli_runner().invoke(args=["eloan", "check-files"])
    assert result.exit_code == 0 and "缺失 0 个，内容不符 0 个" in result.output
