"""Helpers for the form tests: read a PDF as a reader would (poppler's pdftotext), build batches.

scripts/setup.sh installs poppler-utils; the forms are checked through what prints, not through
the HTML, so a stylesheet that hides or clips text fails here.
"""
from __future__ import annotations

import re
import subprocess
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from eloan.domain.calendar import TZ
from eloan.domain.uscc import check_character

_NUMBER = r'"([\d.]+)"'
_WORD = re.compile(rf"<word xMin={_NUMBER} yMin={_NUMBER} xMax={_NUMBER} yMax={_NUMBER}>(.*?)</word>")
Word = tuple[Decimal, Decimal, Decimal, Decimal, str]


class PdfReader:
    """Text, words with positions and page count of PDF bytes, through poppler."""

    def __init__(self, folder: Path):
        self._folder = folder
        self._count = 0

    def _file(self, pdf: bytes) -> Path:
        self._count += 1
        path = self._folder / f"form-{self._count}.pdf"
        path.write_bytes(pdf)
        return path

    @staticmethod
    def _run(*args: str) -> str:
        return subprocess.run(args, check=True, capture_output=True, text=True).stdout

    def text(self, pdf: bytes, page: int | None = None) -> str:
        pages = ("-f", str(page), "-l", str(page)) if page else ()
        return self._run("pdftotext", "-enc", "UTF-8", *pages, str(self._file(pdf)), "-")

    def pages(self, pdf: bytes) -> int:
        info = self._run("pdfinfo", str(self._file(pdf)))
        return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))

    def words(self, pdf: bytes, page: int = 1) -> list[Word]:
        """(x_min, y_min, x_max, y_max, text) of each word on the page, in points."""
        html = self._run("pdftotext", "-enc", "UTF-8", "-bbox", "-f", str(page), "-l", str(page),
                         str(self._file(pdf)), "-")
        return [(Decimal(a), Decimal(b), Decimal(c), Decimal(d), text)
                for a, b, c, d, text in _WORD.findall(html)]


@pytest.fixture()
def pdf(tmp_path) -> PdfReader:
    return PdfReader(tmp_path)


def uscc_for(n: int) -> str:
    """A valid 统一社会信用代码 for the n-th test enterprise."""
    first17 = f"91370405MA{n:07d}"
    return first17 + check_character(first17)


def beijing(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


@pytest.fixture()
def make_batch(db):
    """make_batch([(name, amount), ...], status=..., **batch fields) → a committed ListBatch.

    Entries are stored in reverse so the list order must come from `position`, not insertion.
    """
    from eloan.models import Enterprise, ListBatch, ListEntry

    made = {"n": 0}

    def make(entries, number="2024-第1批", status="issued", **fields):
        batch = ListBatch(number=number, status=status, **fields)
        db.session.add(batch)
        db.session.flush()
        for position, item in reversed(list(enumerate(entries, start=1))):
            name, amount, *extra = item
            details = dict(extra[0]) if extra else {}
            made["n"] += 1
            enterprise = Enterprise(uscc=uscc_for(made["n"]), name=name,
                                    industry=details.pop("industry", "new_materials"), **details)
            db.session.add(enterprise)
            db.session.flush()
            db.session.add(ListEntry(batch_id=batch.id, enterprise_id=enterprise.id,
                                     recommended_amount=Decimal(amount), position=position))
        db.session.commit()
        db.session.expire_all()  # read back as stored, so the test sees what the database gives
        return db.session.get(ListBatch, batch.id)

    return make


@pytest.fixture()
def confirm(db, make_user):
    """confirm(batch, role, at="2024-03-01 09:00", cleared=False): a department's confirmation."""
    from eloan.models import ListConfirmation

    users = {}

    def add(batch, role, at="2024-03-01 09:00", action="confirm", cleared_at=None):
        if role not in users:
            users[role] = make_user(username=f"{role}-officer", roles=(role,))
        db.session.add(ListConfirmation(batch_id=batch.id, role=role, action=action,
                                        user_id=users[role].id, created_at=beijing(at),
                                        cleared_at=beijing(cleared_at) if cleared_at else None))
        db.session.commit()
        db.session.expire_all()

    return add
