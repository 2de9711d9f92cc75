"""The navigation: each role sees the queues its work needs, nothing more."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import pgettext_lazy

from .permissions import can


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    action: str


# Labels carry the "nav" context so their translations can be shorter than the same words
# elsewhere: the whole bar has to fit one line at 1,400 px in every language.
MENU: list[NavItem] = [
    NavItem(pgettext_lazy("nav", "工作台"), "home", "shop.view"),
    NavItem(pgettext_lazy("nav", "会话"), "chats:workspace", "chats.work"),
    NavItem(pgettext_lazy("nav", "问题订单"), "orders:problems", "problems.view"),
    NavItem(pgettext_lazy("nav", "订单"), "orders:list", "orders.view"),
    NavItem(pgettext_lazy("nav", "导入订单"), "orders:import", "orders.import"),
    NavItem(pgettext_lazy("nav", "售后工单"), "tickets:queue", "tickets.view"),
    NavItem(pgettext_lazy("nav", "中差评"), "reviews:list", "reviews.view"),
    NavItem(pgettext_lazy("nav", "审批"), "tickets:inbox", "approvals.decide"),
    NavItem(pgettext_lazy("nav", "话术库"), "scripts_lib:list", "scripts.use"),
    NavItem(pgettext_lazy("nav", "知识库"), "knowledge:list", "knowledge.view"),
    NavItem(pgettext_lazy("nav", "商品图库"), "catalogue:products", "catalogue.manage"),
    NavItem(pgettext_lazy("nav", "质检"), "kpi:qa_queue", "qa.review"),
    NavItem(pgettext_lazy("nav", "数据看板"), "kpi:dashboard", "kpi.dashboard"),
    NavItem(pgettext_lazy("nav", "我的绩效"), "kpi:mine", "kpi.own"),
    NavItem(pgettext_lazy("nav", "消息发送"), "outreach:outbox", "outreach.view"),
    NavItem(pgettext_lazy("nav", "审计日志"), "audit:list", "audit.view"),
]


def menu_for(user, current_path: str) -> list[dict]:
    """The user's entries; the one whose URL is the longest prefix of the path is active."""
    items = []
    for item in MENU:
        if not can(user, item.action):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": str(item.label), "url": url, "active": False})
    matches = [
        i
        for i in items
        if current_path == i["url"] or (i["url"] != "/" and current_path.startswith(i["url"]))
    ]
    if matches:
        max(matches, key=lambda i: len(i["url"]))["active"] = True
    return items
