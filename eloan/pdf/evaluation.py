"""The annual evaluation report of the cooperating banks (第二十条; POLICY.md §11): one table of every bank's
indicators, scores, total, rank, suggestion and decision, the adjustments by hand with their reasons, the
units' confirmations, and signature boxes for 区财政局, 区金融服务中心, 经济开发区 and 行业主管部门.

A draft prints with a watermark: only a confirmed evaluation is the four units' document.
"""

from __future__ import annotations

from decimal import Decimal

from eloan.domain.calendar import chinese_date, in_shanghai
from eloan.domain.evaluation import AREAS, OUTCOMES
from eloan.domain.roles import ROLES
from eloan.pdf.render import render_pdf

TEMPLATE = "evaluation.html"
SIGNING_UNITS = ("区财政局", "区金融服务中心", "经济开发区", "行业主管部门")
BLANK_DATE = "　　　　年　　月　　日"


def _percent(value: str | None, places: str = "0.01") -> str:
    if value is None:
        return "—"
    return f"{(Decimal(value) * 100).quantize(Decimal(places))}%"


def _money(value: str) -> str:
    return f"{Decimal(value):,.2f}"


def report_context(ev) -> dict:
    rows = []
    adjustments = []
    for r in sorted(ev.rows, key=lambda r: (r.rank, r.bank.code)):
        ind = r.indicators
        rows.append(
            {
                "rank": r.rank,
                "bank": r.bank.name,
                "drawn": _money(ind["drawn"]),
                "npl": _percent(ind["npl_ratio"]),
                "overdue": _percent(ind["overdue_ratio"]),
                "margin": "—"
                if ind["mean_margin_percent"] is None
                else f"{Decimal(ind['mean_margin_percent']) * 100:.0f}bp",
                "claims": ind["claims"],
                "scores": [r.scores[a] + ("*" if a in (r.adjustments or {}) else "") for a in AREAS],
                "total": f"{r.total}",
                "suggested": OUTCOMES[r.suggested],
                "decision": OUTCOMES[r.decision] if r.decision else "",
                "decision_note": "；".join(
                    x
                    for x in (
                        r.decision_reason or "",
                        f"协议终止日 {chinese_date(r.agreement_end)}" if r.agreement_end else "",
                    )
                    if x
                ),
            }
        )
        for area, a in (r.adjustments or {}).items():
            adjustments.append(
                {
                    "bank": r.bank.name,
                    "area": AREAS[area],
                    "computed": r.computed[area],
                    "score": a["score"],
                    "reason": a["reason"],
                }
            )
    method = ev.method
    weights = "，".join(f"{AREAS[a]} {w}" for a, w in method["weights"].items())
    return {
        "attachment_label": "",
        "doc_title": f"台儿庄区“园区E贷”{ev.year}年度合作银行绩效评价报告",
        "kicker": "台儿庄区“园区E贷”",
        "title": f"{ev.year}年度合作银行绩效评价报告",
        "watermark": "草稿" if ev.status == "draft" else "",
        "banner": "草稿：尚待经济开发区、行业主管部门、区金融服务中心确认" if ev.status == "draft" else "",
        "computed_text": chinese_date(in_shanghai(ev.computed_at).date()) if ev.computed_at else "",
        "policy_code": ev.policy_code,
        "method_text": (
            f"评价方法（第二十条）：权重 {weights}；风险阈值 不良率 {_percent(method['npl_ratio_threshold'])}、"
            f"逾期率 {_percent(method['overdue_ratio_threshold'])}；利差上限 LPR+{method['rate_spread_bp']}bp；"
            f"总分≥{method['continue_at']} 继续合作，{method['conditional_at']}–{method['continue_at']} 限期整改，"
            f"<{method['conditional_at']} 终止合作。带 * 的得分为手工调整。"
        ),
        "areas": list(AREAS.values()),
        "rows": rows,
        "adjustments": adjustments,
        "confirmations": [
            {"unit": ROLES[c.role], "user": c.user.display_name or c.user.username, "comment": c.comment or "同意"}
            for c in ev.confirmations
        ],
        "report_file": ev.report_file.filename if ev.report_file_id and ev.report_file else None,
        "signing_units": SIGNING_UNITS,
        "blank_date": BLANK_DATE,
    }


def render_evaluation_report(ev) -> bytes:
    return render_pdf(TEMPLATE, **report_context(ev))
