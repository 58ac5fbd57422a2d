"""Domain errors: what a rule says when it refuses.

Services raise these; the web layer turns them into form errors or flash
messages and the API into problem+json. Codes are stable, messages are Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Violation:
    """One broken rule: a stable code, a message for people, the article, the form field."""

    code: str
    message: str
    article: str | None = None
    field: str | None = None


class DomainError(Exception):
    """Base of every error the rules raise."""


class RuleViolation(DomainError):
    """One or more rules refused the request; all of them are reported at once."""

    def __init__(self, violations: list[Violation]):
        self.violations = list(violations)
        super().__init__("；".join(v.message for v in self.violations))

    @property
    def codes(self) -> list[str]:
        return [v.code for v in self.violations]


class StateConflict(DomainError):
    """The object is not in a state that allows the action (e.g. a claim paid twice)."""

    def __init__(self, code: str, message: str | None = None):
        self.code = code
        self.message = message or code
        super().__init__(self.message)


class NotFound(DomainError):
    """No such object, or one the actor may not see (another bank's data looks absent)."""

    def __init__(self, message: str = "未找到（not found）"):
        self.message = message
        super().__init__(message)


class Forbidden(DomainError):
    """The actor's role does not allow the action."""

    def __init__(self, message: str = "无权执行此操作（forbidden）", code: str = "forbidden"):
        self.code = code
        self.message = message
        super().__init__(message)


class NoPolicyInForce(RuleViolation):
    """No policy version covers the date: an error the user sees, never a default (POLICY.md §2)."""

    def __init__(self, on_date: date):
        self.date = on_date
        message = f"{on_date} 没有有效的政策版本（no policy in force on {on_date}）"
        super().__init__([Violation("no_policy_in_force", message, None)])


class StorageFull(RuleViolation):
    """The server's disk is full: the upload was not kept and nothing else changed (HTTP 507)."""

    def __init__(self, field: str | None = "file"):
        super().__init__([Violation("storage_full", "存储空间不足，文件未保存，请联系系统管理员。", None, field)])


class FileMissing(NotFound):
    """A stored file's record exists but its content is gone from the disk (HTTP 410): the administrator must
    restore it from a backup (`eloan check-files` lists them all)."""

    code = "file_missing"

    def __init__(self, filename: str):
        super().__init__(f"文件“{filename}”在服务器上已找不到，无法下载。请联系系统管理员从备份恢复该文件。")
