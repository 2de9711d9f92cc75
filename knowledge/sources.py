"""One engine per shop in this process, filled from the database and kept current
incrementally: each call compares cheap stamps (the newest change of the shop's entries and
scripts, the last close or rating of a conversation that ended well) and feeds only what
changed into the index.

Past answers ("history"): an agent's reply right after a buyer's message, in a conversation
that ended well (paid, or rated 4-5 by the buyer)."""

import threading

from django.db.models import Count, Max, Q

from chats.models import Conversation, Message, Outcome, Sender
from scripts_lib.models import ReplyScript
from scripts_lib.rendering import render_script, script_context

from .engine import Answer, Engine
from .models import KnowledgeEntry

HISTORY_BATCH = 20000
GOOD_ENDINGS = Q(outcome=Outcome.PAID) | Q(csat_rating__gte=4)


class ShopEngine:
    def __init__(self, shop):
        self.shop = shop
        self.engine = Engine()
        self.knowledge_stamp = None
        self.script_stamp = None
        self.history_since = None
        self.lock = threading.Lock()

    def refresh(self) -> Engine:
        with self.lock:
            self._refresh_knowledge()
            self._refresh_scripts()
            self._refresh_history()
        return self.engine

    def _refresh_knowledge(self) -> None:
        entries = KnowledgeEntry.objects.filter(shop=self.shop)
        stamp = entries.aggregate(n=Count("pk"), newest=Max("updated_at"))
        stamp = (stamp["n"], stamp["newest"])
        if stamp == self.knowledge_stamp:
            return
        changed = entries
        if self.knowledge_stamp is not None and stamp[0] == self.knowledge_stamp[0]:
            changed = entries.filter(updated_at__gte=self.knowledge_stamp[1])
        else:  # an entry was deleted: drop every entry and take them in again
            for key in [k for (source, k) in self.engine._answers if source == "knowledge"]:
                self.engine.drop("knowledge", key)
        for entry in changed:
            put_entry(self.engine, entry)
        self.knowledge_stamp = stamp

    def _refresh_scripts(self) -> None:
        scripts = ReplyScript.objects.filter(team_id=self.shop.team_id).filter(
            Q(shop=self.shop) | Q(shop__isnull=True)
        )
        stamp = scripts.aggregate(n=Count("pk"), newest=Max("updated_at"))
        stamp = (stamp["n"], stamp["newest"])
        if stamp == self.script_stamp:
            return
        for key in [k for (source, k) in self.engine._answers if source == "script"]:
            self.engine.drop("script", key)
        context = script_context(shop=self.shop)
        by_code = {}
        for script in scripts.filter(is_active=True).order_by("shop_id"):
            if script.code not in by_code or script.shop_id is not None:
                by_code[script.code] = script
        for code, script in by_code.items():
            text = render_script(script, context=context)
            self.engine.put(Answer("script", code, text), [script.title, script.body])
        self.script_stamp = stamp

    def _refresh_history(self) -> None:
        """Take in the conversations that ended well since the last look: closed as paid, or
        rated 4-5 (a rating arrives after the close, so both moments count). A conversation
        seen twice puts the same keys again, which replaces rather than adds."""
        good = Conversation.objects.filter(GOOD_ENDINGS, shop=self.shop)
        if self.history_since is not None:
            good = good.filter(
                Q(closed_at__gt=self.history_since) | Q(csat_answered_at__gt=self.history_since)
            )
        stamp = good.aggregate(closed=Max("closed_at"), rated=Max("csat_answered_at"))
        moments = [moment for moment in stamp.values() if moment is not None]
        if not moments:
            return
        messages = (
            Message.objects.filter(
                conversation__in=good,
                is_internal=False,
                sender__in=[Sender.BUYER, Sender.AGENT],
            )
            .order_by("conversation_id", "sent_at", "pk")
            .values_list("pk", "conversation_id", "sender", "text")
        )
        previous = None
        for pk, conversation_id, sender, text in messages.iterator(chunk_size=HISTORY_BATCH):
            if (
                sender == Sender.AGENT
                and previous is not None
                and previous[0] == conversation_id
                and previous[1] == Sender.BUYER
            ):
                self.engine.put(Answer("history", str(pk), text), [previous[2]])
            previous = (conversation_id, sender, text)
        self.history_since = max(moments)


def put_entry(engine: Engine, entry) -> None:
    if not entry.is_active:
        engine.drop("knowledge", entry.key)
        return
    answer = Answer("knowledge", entry.key, entry.answer, tuple(entry.products))
    engine.put(answer, [entry.question, *entry.phrasings])


_engines: dict[int, ShopEngine] = {}
_engines_lock = threading.Lock()


def engine_for(shop) -> Engine:
    with _engines_lock:
        held = _engines.get(shop.pk)
        if held is None:
            held = _engines[shop.pk] = ShopEngine(shop)
    return held.refresh()


def forget_engines() -> None:
    """Tests: start each from an empty cache."""
    with _engines_lock:
        _engines.clear()
