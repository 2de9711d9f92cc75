"""schemathesis over every operation of /api/v1/schema/, as a manager with a token, against
the live server: generated requests, valid (positive) and invalid (negative), must never
get a server error. Path ids point at real objects of the manager's shop, so the checks
reach the handlers instead of stopping at 404. Each operation is bounded to EXAMPLES
requests per mode, without shrinking, so the test stays well under two minutes.
"""

import uuid

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from accounts.roles import Role
from orders.models import ProblemCategory
from tests.chats.factories import make_conversation
from tests.factories import make_buyer, make_order
from tests.orders.factories import make_problem
from tests.reviews.factories import make_review
from tests.tickets.factories import make_ticket
from tickets.states import TicketType

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

EXAMPLES = 6


@pytest.fixture
def objects(shop, staff, now):
    """One object of each kind the API addresses by id, by the path's first segment."""
    manager = staff[Role.MANAGER]
    order = make_order(shop, buyer=make_buyer(shop, nick="tb_schemathesis"))
    return {
        "orders": order.pk,
        "problems": make_problem(shop, now, category=ProblemCategory.ADDRESS_CHANGE).pk,
        "reviews": make_review(shop).pk,
        "tickets": make_ticket(shop, TicketType.REFUND_ONLY, now, actor=manager).pk,
        "conversations": make_conversation(shop, now=now).pk,
        # /notes/{kind}/{id}/: a ticket's id; the generated kind is any of the four
        "notes": make_ticket(shop, TicketType.INVOICE, now, actor=manager).pk,
        # /tags/on/{kind}/{id}/: likewise
        "tags": make_ticket(shop, TicketType.INVOICE, now, actor=manager).pk,
        # a photo's id is a UUID; an unknown one still reaches the handler (and its 404)
        "chat-images": str(uuid.uuid4()),
    }


def path_ids(operation, objects) -> dict:
    if "{id}" not in operation.path:
        return {}
    collection = operation.path.removeprefix("/api/v1/").split("/")[0]
    return {"id": objects[collection]}


def modes(operation) -> list[GenerationMode]:
    """Negative data needs something to break: a query parameter or a body (the path id is
    fixed, and the token header is not a parameter)."""
    if len(operation.query) or len(operation.body):
        return [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
    return [GenerationMode.POSITIVE]


def test_no_operation_answers_with_a_server_error(live_server, staff, objects):
    token = Token.objects.create(user=staff[Role.MANAGER])
    headers = {"Authorization": f"Token {token.key}"}
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/schema/", headers=headers)
    failures, operations = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for mode in modes(operation):
            strategy = operation.as_strategy(
                generation_mode=mode, path_parameters=path_ids(operation, objects)
            )

            @given(case=strategy)
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            def check(case):
                response = case.call(base_url=live_server.url, headers=headers)
                case.validate_response(response, checks=[not_a_server_error])

            try:
                check()
            except (Exception, BaseExceptionGroup) as error:  # collect, then report them all
                failures.append(f"{operation.label} [{mode.value}]: {error}")
    assert operations >= 27
    assert not failures, "\n\n".join(failures)
