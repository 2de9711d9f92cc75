"""Access changes reach open streams at once: a deactivated user's streams close, and a
changed membership makes them re-read which shops and kinds they may receive. (Who is
viewing or typing, presence/, publishes its own changes: presence/push.py.)"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts.models import Membership, User

from .events import publish


@receiver(post_save, sender=User)
def user_saved(sender, instance, **kwargs):
    if not instance.is_active:
        publish("access", user_id=instance.pk)


@receiver(post_save, sender=Membership)
@receiver(post_delete, sender=Membership)
def membership_changed(sender, instance, **kwargs):
    publish("access", user_id=instance.user_id)
