import pytest
from django.core.management import call_command

from chats.models import Message
from reviews.models import Review
from reviews.selectors import buyer_messages_for_evidence

pytestmark = pytest.mark.django_db


def test_demo_has_reviews_and_an_extortion_case_with_the_buyers_words():
    call_command("seed_demo")
    assert Review.objects.filter(rating="neutral").exists()
    assert Review.objects.filter(rating="negative").exists()
    case = Review.objects.filter(is_extortion=True).first()
    assert case is not None and case.extortion_note
    words = list(buyer_messages_for_evidence(case).values_list("text", flat=True))
    assert any("差评" in text for text in words)
    assert Message.objects.filter(conversation__buyer=case.buyer, sender="agent").exists()
