from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.selectors import access_shop, shops_for
from helpdesk import clock
from helpdesk.errors import DomainError

from . import routing, selectors
from .forms import AgentGroupForm, RoutingRuleForm, RoutingTestForm

GROUP_QUEUE_SIZE = 100


def _routing_url(shop) -> str:
    return f"{reverse('teamwork:routing')}?shop={shop.code}"


def _shop(request):
    shops = list(shops_for(request.user, "routing.manage"))
    if not shops:
        raise PermissionDenied
    code = request.GET.get("shop") or request.POST.get("shop")
    return shops, (access_shop(request.user, code, "routing.manage") if code else shops[0])


def _page(request, shops, shop, *, rule_form=None, group_form=None, status=200):
    test_form = RoutingTestForm(request.GET if "text" in request.GET else None)
    tested = None
    if test_form.is_bound and test_form.is_valid():
        rule = routing.which_rule(
            shop=shop,
            text=test_form.cleaned_data["text"],
            at=test_form.cleaned_data["at"] or clock.now(),
        )
        tested = {"rule": rule}
    context = {
        "shops": shops,
        "shop": shop,
        "rules": selectors.routing_rules_of(shop),
        "groups": selectors.agent_groups_of(shop),
        "rule_form": rule_form or RoutingRuleForm(shop=shop),
        "group_form": group_form or AgentGroupForm(shop=shop),
        "test_form": test_form,
        "tested": tested,
    }
    return render(request, "teamwork/routing.html", context, status=status)


@login_required
def routing_page(request):
    """Supervisors: the shop's agent groups, its rules in order, and a tester."""
    shops, shop = _shop(request)
    return _page(request, shops, shop)


@login_required
@require_POST
def rule_new(request):
    shops, shop = _shop(request)
    form = RoutingRuleForm(request.POST, shop=shop)
    if form.is_valid():
        try:
            routing.routing_rule_create(
                actor=request.user, shop=shop, data=form.cleaned_data, now=clock.now()
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("规则已保存。"))
            return redirect(_routing_url(shop))
    return _page(request, shops, shop, rule_form=form, status=400)


@login_required
@require_POST
def rule_change(request, pk):
    rule = selectors.access_routing_rule(request.user, pk)
    op = request.POST.get("op")
    if op == "delete":
        routing.routing_rule_delete(actor=request.user, rule=rule, now=clock.now())
    elif op in ("up", "down"):
        routing.routing_rule_move(actor=request.user, rule=rule, up=op == "up", now=clock.now())
    return redirect(_routing_url(rule.shop))


@login_required
@require_POST
def group_new(request):
    shops, shop = _shop(request)
    form = AgentGroupForm(request.POST, shop=shop)
    if form.is_valid():
        try:
            routing.agent_group_save(
                actor=request.user,
                shop=shop,
                name=form.cleaned_data["name"],
                members=list(form.cleaned_data["members"]),
                now=clock.now(),
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            return redirect(_routing_url(shop))
    return _page(request, shops, shop, group_form=form, status=400)


@login_required
def group_queue(request, pk):
    """A group's waiting chats, highest priority and longest waiting first."""
    group = selectors.access_agent_group(request.user, pk)
    waiting = selectors.group_waiting(group, GROUP_QUEUE_SIZE)
    return render(request, "teamwork/group_queue.html", {"group": group, "waiting": waiting})
