"""Roles (POLICY.md §1): who does what, and which combinations a user may hold."""

from __future__ import annotations

from collections.abc import Iterable

from .errors import Violation

ROLES: dict[str, str] = {
    "zone": "经济开发区",
    "industry": "行业主管部门",
    "fsc": "区金融服务中心",
    "finance": "区财政局",
    "bank": "合作银行",
    "admin": "系统管理员",
    "auditor": "审计监督",
}

GOVERNMENT_ROLES: frozenset[str] = frozenset({"zone", "industry", "fsc", "finance"})
# 第十六条: the development zone and industry departments review with the fsc; finance gives the opinion.
REVIEW_ROLES: frozenset[str] = frozenset({"zone", "industry", "fsc"})


def validate_roles(roles: Iterable[str], bank_code: str | None) -> list[Violation]:
    """Problems with a user's roles: a bank user belongs to one bank and holds no other role."""
    held = list(dict.fromkeys(roles))
    found: list[Violation] = []
    if not held:
        found.append(Violation("invalid_roles", "至少需要一个角色", None, "roles"))
    for role in held:
        if role not in ROLES:
            found.append(Violation("invalid_roles", f"未知角色：{role}", None, "roles"))
    has_bank = bool(bank_code and bank_code.strip())
    if "bank" in held:
        if not has_bank:
            found.append(Violation("invalid_roles", "合作银行用户必须指定所属银行", None, "bank"))
        others = [r for r in held if r != "bank"]
        if others:
            labels = "、".join(ROLES.get(r, r) for r in others)
            found.append(
                Violation("invalid_roles", f"合作银行用户不能同时担任其他角色（{labels}）", None, "roles")
            )
    elif has_bank:
        found.append(Violation("invalid_roles", "只有合作银行用户可以指定所属银行", None, "bank"))
    return found
