"""What the database can hold, for every door to check before it asks: ids and page numbers.

An id beyond its INTEGER column (PostgreSQL int4) cannot exist, so it is "not found", never an overflow;
a page number is bounded so that its OFFSET stays a small number for the database.
"""

from __future__ import annotations

MAX_ID = 2**31 - 1
MAX_PER_PAGE = 500  # API.md: per_page at most 500
MAX_PAGE = 1_000_000  # beyond any list the programme will have; (page - 1) * per_page stays far inside int64
