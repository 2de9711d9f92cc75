"""Reads of the knowledge base, scoped to the shops the user may see."""

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.permissions import restrict
from chats.models import Message, Sender

from .models import AutoAnswerSetting, KnowledgeEntry

PAGE_SIZE = 50


def entries_visible_to(user) -> QuerySet[KnowledgeEntry]:
    return restrict(KnowledgeEntry.objects.select_related("shop"), user, "knowledge.view")


def access_knowledge_entry(user, pk: int) -> KnowledgeEntry:
    try:
        return entries_visible_to(user).get(pk=pk)
    except KnowledgeEntry.DoesNotExist:
        raise Http404 from None


def search_entries(user, *, query: str = "", shop_id: int | None = None):
    entries = entries_visible_to(user)
    if shop_id:
        entries = entries.filter(shop_id=shop_id)
    query = (query or "").strip()
    if query:
        entries = entries.filter(
            Q(key__icontains=query)
            | Q(question__icontains=query)
            | Q(answer__icontains=query)
            | Q(category__icontains=query)
        )
    return entries.order_by("shop_id", "key")


def entries_for_item(shop, item: str, limit: int = 6) -> list[KnowledgeEntry]:
    """The entries naming the buyer's product (title or 商家编码), for the side panel."""
    if not item:
        return []
    entries = KnowledgeEntry.objects.filter(shop=shop, is_active=True).exclude(products=[])
    return [e for e in entries.order_by("key")[:500] if e.applies_to(item)][:limit]


def auto_answer_shop_ids(shops) -> set[int]:
    """Which of ``shops`` answer buyers automatically."""
    return set(
        AutoAnswerSetting.objects.filter(shop__in=shops, enabled=True).values_list(
            "shop_id", flat=True
        )
    )


def auto_answer_enabled(shop) -> bool:
    return AutoAnswerSetting.objects.filter(shop=shop, enabled=True).exists()


def latest_buyer_text(conversation) -> str | None:
    """The buyer's latest message in the conversation (what suggestions answer)."""
    return (
        Message.objects.filter(conversation=conversation, sender=Sender.BUYER)
        .order_by("-sent_at", "-pk")
        .values_list("text", flat=True)
        .first()
    )
