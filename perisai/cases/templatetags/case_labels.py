from django import template

from perisai.cases.choices import ApprovalDecision, CaseStatus

register = template.Library()


@register.filter
def case_status(value: str) -> str:
    return str(CaseStatus(value).label) if value in CaseStatus.values else value


@register.filter
def approval_decision(value: str) -> str:
    return str(ApprovalDecision(value).label) if value in ApprovalDecision.values else value
