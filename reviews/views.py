"""Review pages: the queue, a review's workbench, and the register (中差评登记).

Only review specialists, supervisors and managers reach them: a user who works reviews in
no shop gets 403 on the lists, and a review of a shop they do not work is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import can, roles_by_shop
from accounts.selectors import shops_for
from chats.models import ChannelKind
from chats.services import buyer_conversation
from helpdesk import clock
from helpdesk.errors import DomainError
from helpdesk.export_uploads import export_import_page, export_sample
from teamwork.tags import tag_filter

from . import services, states
from .deadlines import due_badge
from .etiquette import findings_for_draft
from .forms import DraftForm, ExtortionForm, RegisterFilterForm, ReviewFilterForm
from .importing import reviews_import_upload
from .models import REVIEW_PAGES
from .register import REGISTER_LIMIT, register_workbook
from .selectors import (
    access_review,
    buyer_messages_for_evidence,
    review_specialists,
    reviews_visible_to,
)

PAGE_SIZE = 50


def _require_reviews(user) -> list:
    if not can(user, "reviews.view"):
        raise PermissionDenied
    return list(shops_for(user, "reviews.view"))


def _filtered(request, form_class):
    shops = _require_reviews(request.user)
    form = form_class(request.GET or None, shops=shops, assignees=review_specialists(shops))
    filters = form.cleaned_data if form.is_valid() else {}
    reviews = reviews_visible_to(
        request.user,
        shop_id=filters.get("shop"),
        rating=filters.get("rating", ""),
        state=filters.get("state", ""),
        assignee_id=filters.get("assignee"),
        extortion=filters.get("extortion"),
        since=filters.get("since"),
        until=filters.get("until"),
    )
    return form, tag_filter(reviews, "review", request.GET.get("tag"))


@login_required
def review_list(request):
    form, reviews = _filtered(request, ReviewFilterForm)
    page = REVIEW_PAGES.page_for(request.GET, reviews, PAGE_SIZE)
    moment = clock.now()
    for review in page:
        review.due_label, review.due_colour = due_badge(review, now=moment)
    template = "reviews/list.html#rows" if request.htmx else "reviews/list.html"
    context = {"form": form, "page": page, "may_import": can(request.user, "reviews.work")}
    return render(request, template, context, status=page.status)


@login_required
def review_register(request):
    form, reviews = _filtered(request, RegisterFilterForm)
    page = REVIEW_PAGES.page_for(request.GET, reviews, PAGE_SIZE)
    template = "reviews/register.html#rows" if request.htmx else "reviews/register.html"
    return render(request, template, {"form": form, "page": page}, status=page.status)


@login_required
def review_register_xlsx(request):
    _form, reviews = _filtered(request, RegisterFilterForm)
    response = HttpResponse(
        register_workbook(reviews[:REGISTER_LIMIT]),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    stamp = timezone.localtime(clock.now()).strftime("%Y%m%d%H%M")
    response["Content-Disposition"] = f'attachment; filename="review-register-{stamp}.xlsx"'
    return response


@login_required
def review_detail(request, pk):
    review = access_review(request.user, pk)
    role = roles_by_shop(request.user).get(review.shop_id)
    may_work = can(request.user, "reviews.work", review)
    evidence = list(review.evidence.all())
    chosen = {e.source_message_id for e in evidence}
    due_label, due_colour = due_badge(review, now=clock.now())
    context = {
        "review": review,
        "due_label": due_label,
        "due_colour": due_colour,
        "buyer_conversation": buyer_conversation(review.buyer),
        "may_work": may_work,
        "actions": states.actions_for(review.state, role, is_extortion=review.is_extortion)
        if may_work
        else [],
        "transitions": review.transitions.select_related("actor"),
        "drafts": review.drafts.select_related("author"),
        "draft_form": DraftForm(),
        "extortion_form": ExtortionForm(),
        "evidence": evidence,
        "candidates": [
            (message, message.pk in chosen, ChannelKind(message.channel.kind).proves_identity)
            for message in buyer_messages_for_evidence(review)
        ]
        if review.is_extortion and may_work
        else [],
        "specialists": review_specialists([review.shop_id])
        if can(request.user, "approvals.decide", review)
        else [],
    }
    return render(request, "reviews/detail.html", context)


def _act(request, pk, call, success: str):
    """Run a service for a POSTed form; a refusal becomes a message on the review page."""
    review = access_review(request.user, pk, action="reviews.work")
    try:
        call(review, clock.now())
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect("reviews:detail", pk=review.pk)


@require_POST
@login_required
def review_transition(request, pk):
    action = request.POST.get("action", "")
    return _act(
        request,
        pk,
        lambda review, now: services.review_transition(
            actor=request.user,
            review=review,
            action=action,
            now=now,
            note=request.POST.get("note", ""),
        ),
        _("状态已更新。"),
    )


@require_POST
@login_required
def review_assign(request, pk):
    access_review(request.user, pk, action="reviews.work")
    given = request.POST.get("assignee", "")
    assignee_id = int(given) if given.isdigit() else request.user.pk
    return _act(
        request,
        pk,
        lambda review, now: services.review_assign(
            actor=request.user, review=review, assignee_id=assignee_id, now=now
        ),
        _("处理人已更新。"),
    )


@require_POST
@login_required
def draft_check(request, pk):
    """Live findings while the specialist types (htmx); nothing is saved."""
    review = access_review(request.user, pk, action="reviews.work")
    form = DraftForm(request.POST)
    findings, checked = [], form.is_valid()
    if checked:
        findings = findings_for_draft(
            review,
            kind=form.cleaned_data["kind"],
            text=form.cleaned_data["text"],
            now=clock.now(),
        )
    return render(
        request, "reviews/detail.html#findings", {"findings": findings, "checked": checked}
    )


@require_POST
@login_required
def draft_save(request, pk):
    form = DraftForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写回复内容（最多 500 字）。"))
        return redirect("reviews:detail", pk=access_review(request.user, pk).pk)
    saved = {}

    def save(review, now):
        saved["draft"] = services.draft_save(
            actor=request.user, review=review, now=now, **form.cleaned_data
        )

    response = _act(request, pk, save, _("回复草稿已保存。"))
    if saved and saved["draft"].findings:
        messages.warning(
            request,
            _("草稿有 %(n)d 条规范提示，已一并保存，发布前请再看一遍。")
            % {"n": len(saved["draft"].findings)},
        )
    return response


@require_POST
@login_required
def mark_extortion(request, pk):
    form = ExtortionForm(request.POST)
    note = form.data.get("note", "")
    return _act(
        request,
        pk,
        lambda review, now: services.review_mark_extortion(
            actor=request.user, review=review, note=note, now=now
        ),
        _("已标记为差评要挟，请选择买家消息作为证据。"),
    )


@require_POST
@login_required
def select_evidence(request, pk):
    try:
        ids = [int(value) for value in request.POST.getlist("message")]
    except ValueError:
        ids = []
    return _act(
        request,
        pk,
        lambda review, now: services.evidence_select(
            actor=request.user, review=review, message_ids=ids, now=now
        ),
        _("证据已保存。"),
    )


@login_required
def evidence_pack(request, pk):
    review = access_review(request.user, pk, action="reviews.work")
    try:
        name, data = services.evidence_pack(actor=request.user, review=review, now=clock.now())
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("reviews:detail", pk=review.pk)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


REVIEW_SAMPLE = "ExportRateList202611231030.csv"


@login_required
@require_http_methods(["GET", "POST"])
def review_import(request):
    """Upload the shop's review export; the report shows on the page (docs/reviews.md)."""
    return export_import_page(
        request,
        action="reviews.work",
        template="reviews/import.html",
        importer=reviews_import_upload,
    )


@login_required
def review_import_sample(request):
    return export_sample(request, action="reviews.work", file_name=REVIEW_SAMPLE)
