from datetime import timedelta
from pathlib import Path

import pytest

from accounts.roles import Role
from chats.models import Outcome, Sender
from knowledge.models import KnowledgeEntry
from knowledge.services import entry_save, entry_set_active, knowledge_import
from knowledge.sources import engine_for, forget_engines
from knowledge.transfer import EntryData
from tests.chats.factories import make_conversation

KB = Path(__file__).parent / "eval" / "kb.csv"


@pytest.fixture(autouse=True)
def _fresh_engines():
    forget_engines()
    yield
    forget_engines()


@pytest.mark.django_db
def test_edits_and_disabling_reach_the_index_without_a_rebuild(shop, staff, now):
    knowledge_import(actor=None, shop=shop, path=KB, now=now)
    engine = engine_for(shop)
    assert engine.suggest("配的腰带能单独买吗") == []
    supervisor = staff[Role.SUPERVISOR]
    entry = KnowledgeEntry.objects.get(shop=shop, key="K08")
    data = EntryData(
        "K08", entry.question, (*entry.phrasings, "配的腰带能单独买吗"), entry.answer, (), ""
    )
    entry_save(actor=supervisor, shop=shop, data=data, now=now + timedelta(minutes=1), entry=entry)
    assert engine_for(shop) is engine  # the same engine, updated in place
    assert engine.suggest("配的腰带能单独买吗")[0].key == "K08"
    entry_set_active(actor=supervisor, entry=entry, active=False, now=now + timedelta(minutes=2))
    assert all(s.key != "K08" for s in engine_for(shop).suggest("配的腰带能单独买吗"))


@pytest.mark.django_db
def test_past_answers_come_only_from_chats_that_ended_well(shop, now):
    good = make_conversation(shop, now=now, messages=0, outcome=Outcome.PAID, closed_at=now)
    bad = make_conversation(shop, now=now, messages=0, outcome=Outcome.NO_SALE)
    for conversation, reply in ((good, "亲，这款有加绒，很保暖。"), (bad, "亲，这款很薄。")):
        conversation.messages.create(
            sender=Sender.BUYER, text="这件有没有加绒", channel=conversation.channel, sent_at=now
        )
        conversation.messages.create(
            sender=Sender.AGENT, text=reply, channel=conversation.channel, sent_at=now
        )
    texts = [s.text for s in engine_for(shop).suggest("这件有没有加绒呢") if s.source == "history"]
    assert texts == ["亲，这款有加绒，很保暖。"]


@pytest.mark.django_db
def test_a_chat_that_ends_well_after_the_index_was_built_is_taken_in(shop, now):
    conversation = make_conversation(shop, now=now, messages=0)
    conversation.messages.create(
        sender=Sender.BUYER, text="这件有没有加绒", channel=conversation.channel, sent_at=now
    )
    conversation.messages.create(
        sender=Sender.AGENT, text="亲，这款有加绒。", channel=conversation.channel, sent_at=now
    )
    assert engine_for(shop).suggest("这件有没有加绒呢") == []
    conversation.outcome = Outcome.PAID
    conversation.closed_at = now + timedelta(minutes=5)
    conversation.save()
    texts = [s.text for s in engine_for(shop).suggest("这件有没有加绒呢")]
    assert texts == ["亲，这款有加绒。"]
