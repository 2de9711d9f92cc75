import pytest
from django.core.exceptions import PermissionDenied

from accounts.roles import Role
from audit.models import AuditEvent
from reviews import states
from reviews.errors import ReviewError, TransitionRefused
from reviews.models import ReviewState, ReviewTransition
from reviews.services import review_assign, review_mark_extortion, review_transition
from tests.factories import make_user

from .factories import make_review

pytestmark = pytest.mark.django_db

HAPPY_PATH = [
    ("contact", ReviewState.CONTACTED),
    ("resolve", ReviewState.RESOLVED),
    ("request_revision", ReviewState.REVISION_REQUESTED),
    ("mark_revised", ReviewState.REVISED),
]


@pytest.mark.parametrize("role", [Role.REVIEW_SPECIALIST, Role.SUPERVISOR, Role.MANAGER])
def test_review_roles_walk_the_happy_path(shop, staff, now, role):
    review = make_review(shop)
    for action, state in HAPPY_PATH:
        review = review_transition(actor=staff[role], review=review, action=action, now=now)
        assert review.state == state
    assert review.assignee == staff[role]
    moves = list(ReviewTransition.objects.filter(review=review).values_list("to_state", flat=True))
    assert moves == [state for _, state in HAPPY_PATH]
    assert AuditEvent.objects.filter(verb="review.mark_revised", object_id=str(review.pk)).exists()


@pytest.mark.parametrize("role", [Role.PRE_SALE, Role.IN_SALE, Role.AFTER_SALE])
def test_agents_may_not_move_reviews(shop, staff, now, role):
    review = make_review(shop)
    with pytest.raises(PermissionDenied):
        review_transition(actor=staff[role], review=review, action="contact", now=now)
    review.refresh_from_db()
    assert review.state == ReviewState.NEW


def test_specialist_of_another_shop_may_not_move_reviews(shop, other_shop, now):
    stranger = make_user(other_shop, Role.REVIEW_SPECIALIST)
    with pytest.raises(PermissionDenied):
        review_transition(actor=stranger, review=make_review(shop), action="contact", now=now)


def test_a_step_out_of_order_is_refused_naming_the_state(shop, staff, now):
    review = make_review(shop)
    with pytest.raises(TransitionRefused, match="新评价"):
        review_transition(
            actor=staff[Role.REVIEW_SPECIALIST], review=review, action="mark_revised", now=now
        )


@pytest.mark.parametrize("ending", ["mark_unchanged", "appeal"])
def test_revision_request_ends_unchanged_or_appealed(shop, staff, now, ending):
    specialist = staff[Role.REVIEW_SPECIALIST]
    review = make_review(shop, state=ReviewState.REVISION_REQUESTED)
    review = review_transition(actor=specialist, review=review, action=ending, now=now)
    assert review.state in (ReviewState.UNCHANGED, ReviewState.APPEALED)


def test_only_extortion_cases_go_to_appeal_before_resolution(shop, staff, now):
    specialist = staff[Role.REVIEW_SPECIALIST]
    review = make_review(shop)
    with pytest.raises(TransitionRefused, match="差评要挟"):
        review_transition(actor=specialist, review=review, action="appeal", now=now)
    review = review_mark_extortion(
        actor=specialist, review=review, note="要求退款否则差评", now=now
    )
    review = review_transition(actor=specialist, review=review, action="appeal", now=now)
    assert review.state == ReviewState.APPEALED


def test_only_supervisors_reopen_a_closed_review(shop, staff, now):
    review = make_review(shop, state=ReviewState.UNCHANGED)
    with pytest.raises(TransitionRefused, match="角色"):
        review_transition(
            actor=staff[Role.REVIEW_SPECIALIST], review=review, action="reopen", now=now
        )
    review = review_transition(
        actor=staff[Role.SUPERVISOR], review=review, action="reopen", now=now
    )
    assert review.state == ReviewState.CONTACTED


def test_every_transition_names_roles_and_a_label():
    for (state, action), step in states.TRANSITIONS.items():
        assert action in states.ACTION_LABELS and step.roles and state != step.to


def test_buttons_follow_the_table(shop):
    assert [a for a, _ in states.actions_for("new", "review_specialist", is_extortion=False)] == [
        "contact"
    ]
    assert states.actions_for("new", "after_sale", is_extortion=True) == []
    assert "reopen" in [a for a, _ in states.actions_for("revised", "manager", is_extortion=False)]


def test_specialist_takes_a_review_but_only_a_supervisor_hands_one_to_someone(shop, staff, now):
    specialist, supervisor = staff[Role.REVIEW_SPECIALIST], staff[Role.SUPERVISOR]
    review = make_review(shop)
    assert review_assign(
        actor=specialist, review=review, assignee_id=specialist.pk, now=now
    ).assignee
    with pytest.raises(ReviewError, match="主管"):
        review_assign(actor=specialist, review=review, assignee_id=supervisor.pk, now=now)
    with pytest.raises(ReviewError, match="不处理"):
        review_assign(
            actor=supervisor, review=review, assignee_id=staff[Role.AFTER_SALE].pk, now=now
        )
    assert (
        review_assign(actor=supervisor, review=review, assignee_id=supervisor.pk, now=now).assignee
        == supervisor
    )


def test_extortion_needs_the_buyers_demand_written_down(shop, staff, now):
    with pytest.raises(ReviewError, match="要求"):
        review_mark_extortion(
            actor=staff[Role.REVIEW_SPECIALIST], review=make_review(shop), note=" ", now=now
        )


def test_there_is_no_service_that_pays_for_a_rating():
    import reviews.services as services

    names = [name for name in dir(services) if not name.startswith("_")]
    assert not [n for n in names if any(w in n for w in ("refund", "rebate", "pay", "compens"))]
