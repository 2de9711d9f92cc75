"""The one hook into the chats app: every new buyer message is offered to the automatic
answer after its transaction commits (the task decides whether to answer)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from chats.models import Message, Sender


@receiver(post_save, sender=Message, dispatch_uid="knowledge_auto_answer")
def offer_to_auto_answer(sender, instance: Message, created: bool, **kwargs) -> None:
    if not created or instance.sender != Sender.BUYER:
        return
    from .models import AutoAnswerSetting
    from .tasks import auto_answer_buyer_message

    if AutoAnswerSetting.objects.filter(
        enabled=True, shop__conversations=instance.conversation_id
    ).exists():
        auto_answer_buyer_message.delay_on_commit(instance.pk)
