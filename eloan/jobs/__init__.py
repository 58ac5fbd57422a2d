"""Scheduled work: the daily job and its scheduler (one lock per date)."""
