"""Which door a request came through (web, api, cli, job), for the audit trail."""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

_channel: ContextVar[str] = ContextVar("eloan_channel", default="web")


def current_channel() -> str:
    return _channel.get()


def set_channel(name: str) -> None:
    _channel.set(name)


@contextmanager
def channel(name: str):
    token = _channel.set(name)
    try:
        yield
    finally:
        _channel.reset(token)
