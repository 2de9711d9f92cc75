"""Quality review (质检): transcripts, the scoring queue, a review's form and the
mystery-shopper record."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.permissions import can
from helpdesk import clock
from helpdesk.errors import DomainError

from .. import selectors, services
from ..forms import QaScoreForm
from ..models import QaState
from ..qa import RUBRIC, measured_prefill
from .common import shop_choice

SCORED_SHOWN = 50


@login_required
def conversation(request, pk: int):
    """A conversation's transcript for supervisors (drill-down and quality review)."""
    found = selectors.access_conversation_for_review(request.user, pk)
    return render(
        request,
        "kpi/conversation.html",
        {"conversation": found, "messages_list": selectors.transcript(found)},
    )


@login_required
def qa_queue(request):
    shops, shop = shop_choice(request, "qa.review")
    return render(
        request,
        "kpi/qa_queue.html",
        {
            "shops": shops,
            "shop": shop,
            "queued": selectors.qa_queue(request.user, shop),
            "scored": selectors.qa_queue(request.user, shop, state=QaState.SCORED)[:SCORED_SHOWN],
        },
    )


def _rubric_rows(review, form=None):
    return [
        {
            "item": item,
            "score": review.scores.get(item.key) if review else None,
            "suggested": (review.prefill.get("suggested", {}) if review else {}).get(item.key),
            "field": form[item.key] if form else None,
        }
        for item in RUBRIC
    ]


@login_required
def qa_review(request, pk: int):
    review = selectors.access_qa_review(request.user, pk)
    may_score = can(request.user, "qa.review", review) and review.agent_id != request.user.pk
    initial = review.scores or {
        k: v for k, v in review.prefill.get("suggested", {}).items() if v is not None
    }
    form = QaScoreForm(
        request.POST or None, initial_scores=initial, initial={"comment": review.comment}
    )
    if request.method == "POST":
        if not may_score:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.qa_score(
                    actor=request.user,
                    review=review,
                    scores=form.scores(),
                    comment=form.cleaned_data["comment"],
                    now=clock.now(),
                )
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("质检评分已保存，客服可以在“我的绩效”中看到。"))
                return redirect(reverse("kpi:qa_queue") + f"?shop={review.shop.code}")
    return render(
        request,
        "kpi/qa_review.html",
        {
            "review": review,
            "form": form,
            "may_score": may_score,
            "rubric": _rubric_rows(review, form if may_score else None),
            "messages_list": selectors.transcript(review.conversation),
        },
    )


@login_required
def qa_mystery(request, conversation_id: int):
    """Record a mystery-shopper check of a conversation on the same rubric."""
    found = selectors.access_conversation_for_review(request.user, conversation_id)
    prefill = measured_prefill(found, selectors.agent_texts(found))
    initial = {k: v for k, v in prefill["suggested"].items() if v is not None}
    form = QaScoreForm(request.POST or None, initial_scores=initial)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.qa_mystery_record(
                actor=request.user,
                conversation=found,
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
                now=clock.now(),
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("神秘客户检查已记录。"))
            return redirect("kpi:qa_review", pk=review.pk)
    return render(
        request,
        "kpi/qa_mystery.html",
        {
            "conversation": found,
            "prefill": prefill,
            "form": form,
            "rubric": [
                {
                    "item": item,
                    "suggested": prefill["suggested"].get(item.key),
                    "field": form[item.key],
                }
                for item in RUBRIC
            ],
            "messages_list": selectors.transcript(found),
        },
    )
