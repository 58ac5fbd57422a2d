"""Uploaded files, stored outside static/ under their content hash."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from eloan.extensions import db
from eloan.models.base import Timestamped


class StoredFile(Timestamped, db.Model):
    __tablename__ = "stored_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    filename: Mapped[str] = mapped_column(String(255))  # as the user named it, for display only
    content_type: Mapped[str] = mapped_column(String(50))  # recognised from the content
    size: Mapped[int] = mapped_column(Integer)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    bank_id: Mapped[int | None] = mapped_column(ForeignKey("banks.id"))  # owner, for scoping
