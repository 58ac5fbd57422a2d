"""Chinese names for what the audit log records (codes stay as written by the services)."""

from __future__ import annotations

ACTIONS = {
    "user.login": "登录",
    "user.create": "新建用户",
    "user.update": "修改用户",
    "user.enable": "启用用户",
    "user.disable": "停用用户",
    "user.reset_password": "重置密码",
    "user.change_password": "修改本人密码",
    "token.create": "发放API令牌",
    "token.revoke": "吊销API令牌",
    "policy.create": "新增政策版本",
    "policy.update": "修改政策版本",
    "lpr.save": "保存LPR利率",
    "lpr.delete": "删除LPR利率",
    "calendar.set_day": "设置日历安排",
    "calendar.remove_day": "删除日历安排",
    "calendar.year_loaded": "标记年度安排已载入",
    "calendar.year_unloaded": "标记年度安排未载入",
    "enterprise.create": "登记企业",
    "enterprise.update": "修改企业信息",
    "enterprise.mu_rating": "登记亩产效益类别",
    "enterprise.import": "Excel导入企业",
    "enterprise.import_batch": "Excel导入（汇总）",
    "enterprise.mu_import_batch": "Excel导入亩产效益（汇总）",
    "list_batch.create": "新建名单批次",
    "list_batch.add_entry": "加入名单",
    "list_batch.update_entry": "修改推荐额度",
    "list_batch.remove_entry": "移出名单",
    "list_batch.confirm": "确认名单",
    "list_batch.return": "退回名单",
    "list_batch.issue": "发布名单",
    "list_batch.supersede": "名单被替代",
    "list_batch.confirmations_cleared": "确认失效（名单变更或退回）",
    "sanction.flag": "列入惩戒",
    "sanction.clear": "解除惩戒",
    "bank.admit": "银行准入",
    "bank.update": "修改银行信息",
    "bank.active": "恢复合作",
    "bank.suspended": "暂停合作",
    "bank.disqualified": "取消合作资格",
    "bank.create": "登记银行",
    "bank.agreement_end": "终止合作协议（年度评价）",
    "evaluation.compute": "计算年度绩效评价",
    "evaluation.recompute": "重新计算年度绩效评价",
    "evaluation.adjust": "手工调整评价得分",
    "evaluation.confirm": "确认年度绩效评价",
    "evaluation.decide": "作出评价决定",
    "evaluation.attach_report": "附第三方评估报告",
    "loan.register": "登记贷款",
    "loan.import": "Excel导入贷款",
    "loan.import_batch": "Excel导入贷款（汇总）",
    "loan.repayment": "登记还款",
    "loan.overdue": "登记逾期",
    "loan.cured": "逾期已纠正",
    "loan.npl": "认定不良",
    "loan.written_off": "核销",
    "loan.not_compensable": "认定不予补偿",
    "claim.open": "建立补偿申请",
    "claim.document": "上传申请材料",
    "claim.submitted": "提交补偿申请（受理）",
    "claim.in_review": "补偿申请进入会审",
    "claim.returned": "补偿申请退回补正",
    "claim.review": "会审意见",
    "claim.extension": "批准延期提交",
    "claim.opinion": "出具补偿意见",
    "claim.approved": "同意补偿",
    "claim.rejected": "不予补偿",
    "claim.awaiting_funds": "同意补偿·待资金",
    "claim.paid": "拨付补偿资金",
    "claim.closed": "补偿申请办结",
    "claim.clawed_back": "追回补偿资金",
    "claim.recovery": "登记追偿款",
    "claim.fraud": "认定骗取补偿资金",
    "fund.appropriation": "专户拨入资金",
    "fund.payout": "专户拨付补偿",
    "fund.recovery_return": "追偿款返还专户",
    "fund.clawback_receipt": "追缴款收回专户",
    "fund.correction": "专户更正冲销",
}

OBJECT_TYPES = {
    "users": "用户",
    "api_tokens": "API令牌",
    "policy_versions": "政策版本",
    "lpr_rates": "LPR利率",
    "calendar_days": "日历安排",
    "calendar_years": "日历年度",
    "banks": "合作银行",
    "enterprises": "企业",
    "list_batches": "推荐名单批次",
    "list_entries": "名单条目",
    "loans": "贷款",
    "claims": "补偿申请",
    "fund_entries": "资金专户",
    "sanctions": "惩戒",
    "bank_evaluations": "银行考核",
    "evaluations": "年度绩效评价",
    "evaluation_rows": "年度绩效评价（银行）",
    "imports": "导入文件",
}

# Actions whose changes are {field: [before, after]} (services.audit.diff); others are plain values.
DIFF_ACTIONS = {
    "user.update",
    "policy.create",
    "policy.update",
    "lpr.save",
    "calendar.set_day",
    "calendar.remove_day",
    "enterprise.create",
    "enterprise.update",
    "enterprise.import",
    "enterprise.mu_rating",
    "bank.admit",
    "bank.update",
    # a claim's transitions record its status as [before, after] (services.claims._move)
    "claim.submitted",
    "claim.in_review",
    "claim.returned",
    "claim.approved",
    "claim.rejected",
    "claim.awaiting_funds",
    "claim.paid",
    "claim.closed",
    "claim.clawed_back",
}


def action_label(code: str) -> str:
    return ACTIONS.get(code, code)


def object_type_label(code: str) -> str:
    return OBJECT_TYPES.get(code, code)


def change_lines(action: str, changes: dict | None) -> list[tuple[str, str]]:
    """(field, text) pairs: "before → after" for a diff, the value itself otherwise."""
    lines = []
    for field, value in (changes or {}).items():
        if action in DIFF_ACTIONS and isinstance(value, list) and len(value) == 2:
            lines.append((field, f"{_text(value[0])} → {_text(value[1])}"))
        else:
            lines.append((field, _text(value)))
    return lines


def _text(value) -> str:
    if value is None or value == "":
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(_text(v) for v in value) if value else "（无）"
    if isinstance(value, dict):
        return "；".join(f"{k}：{_text(v)}" for k, v in value.items())
    return str(value)
