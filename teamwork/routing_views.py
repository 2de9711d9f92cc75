from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.selectors import access_shop, shops_for
from chats.selectors import group_waiting
from helpdesk import clock
from helpdesk.errors import DomainError

from . import routing
from .forms import AgentGroupForm, RoutingRuleForm, RoutingTestForm
from .selectors import (
    access_agent_group,
    access_routing_rule,
    agent_groups_of_shop,
    routing_rules_of_shop,
)


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
        "rules": routing_rules_of_shop(request.user, shop),
        "groups": agent_groups_of_shop(request.user, shop),
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
def rule_edit(request, pk):
    """Change a rule's conditions and action; its examples are checked again on save."""
    rule = access_routing_rule(request.user, pk)
    form = RoutingRuleForm(request.POST or None, shop=rule.shop, rule=rule)
    if request.method == "POST" and form.is_valid():
        try:
            routing.routing_rule_update(
                actor=request.user, rule=rule, data=form.cleaned_data, now=clock.now()
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("规则已保存。"))
            return redirect(_routing_url(rule.shop))
    status = 400 if request.method == "POST" else 200
    return render(request, "teamwork/rule_edit.html", {"rule": rule, "form": form}, status=status)


@login_required
@require_POST
def rule_change(request, pk):
    rule = access_routing_rule(request.user, pk)
    op = request.POST.get("op")
    if op == "delete":
        routing.routing_rule_delete(actor=request.user, rule=rule, now=clock.now())
    elif op in ("up", "down"):
        routing.routing_rule_move(actor=request.user, rule=rule, up=op == "up", now=clock.now())
    return redirect(_routing_url(rule.shop))


def _save_group(request, form, shop, group=None) -> bool:
    if not form.is_valid():
        return False
    try:
        routing.agent_group_save(
            actor=request.user,
            shop=shop,
            name=form.cleaned_data["name"],
            members=list(form.cleaned_data["members"]),
            now=clock.now(),
            group=group,
        )
    except DomainError as error:
        form.add_error(None, str(error))
        return False
    return True


@login_required
@require_POST
def group_new(request):
    shops, shop = _shop(request)
    form = AgentGroupForm(request.POST, shop=shop)
    if _save_group(request, form, shop):
        return redirect(_routing_url(shop))
    return _page(request, shops, shop, group_form=form, status=400)


@login_required
def group_edit(request, pk):
    """Rename a group and change who is in it."""
    group = access_agent_group(request.user, pk)
    form = AgentGroupForm(request.POST or None, shop=group.shop, group=group)
    if request.method == "POST":
        if _save_group(request, form, group.shop, group):
            messages.success(request, _("分组已保存。"))
            return redirect(_routing_url(group.shop))
        status = 400
    else:
        status = 200
    return render(
        request, "teamwork/group_edit.html", {"group": group, "form": form}, status=status
    )


@login_required
def group_queue(request, pk):
    """A group's waiting chats, highest priority and longest waiting first."""
    group = access_agent_group(request.user, pk, "chats.work")
    return render(
        request, "teamwork/group_queue.html", {"group": group, "waiting": group_waiting(group)}
    )
