"""KPI pages: the owner's dashboard and its export, the supervisors' agent table and
drill-down, the agent's own page, quality review and the shift handover book. Thin: each
parses the request, reads through kpi.selectors / kpi.pages (scoped to the user) or calls a
kpi.services function, and renders a template."""

from .dashboard import dashboard, export_day
from .handover import handover, handover_ack
from .quality import conversation, qa_mystery, qa_queue, qa_review
from .team import agent, agents, mine

__all__ = [
    "agent",
    "agents",
    "conversation",
    "dashboard",
    "export_day",
    "handover",
    "handover_ack",
    "mine",
    "qa_mystery",
    "qa_queue",
    "qa_review",
]
