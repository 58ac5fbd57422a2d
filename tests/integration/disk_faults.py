"""A disk that fills up in the middle of writing a file under `folder` (half the bytes land, then ENOSPC)."""
from __future__ import annotations

import errno
import os
from pathlib import Path


class _HalfWriter:
    def __init__(self, fh):
        self._fh = fh

    def write(self, data):
        self._fh.write(data[: len(data) // 2])
        self._fh.flush()
        raise OSError(errno.ENOSPC, "No space left on device")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._fh.close()

    def __getattr__(self, name):
        return getattr(self._fh, name)


def fill_disk(monkeypatch, folder: Path) -> None:
    """Every file opened for writing under `folder` (by path or by descriptor) runs out of space."""
    folder = str(Path(folder).resolve())
    real_fdopen, real_open = os.fdopen, Path.open

    def fdopen(fd, mode="r", *args, **kwargs):
        fh = real_fdopen(fd, mode, *args, **kwargs)
        inside = os.readlink(f"/proc/self/fd/{fd}").startswith(folder)
        return _HalfWriter(fh) if "w" in mode and inside else fh

    def path_open(self, mode="r", *args, **kwargs):
        fh = real_open(self, mode, *args, **kwargs)
        return _HalfWriter(fh) if "w" in mode and str(self.resolve()).startswith(folder) else fh

    monkeypatch.setattr(os, "fdopen", fdopen)
    monkeypatch.setattr(Path, "open", path_open)


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in Path(folder).rglob("*") if p.is_file())
