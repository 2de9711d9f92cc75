"""Access changes reach open streams at once: a deactivated user's streams close, and a
changed membership makes them re-read which shops and kinds they may receive. Who is
viewing or typing on an object (presence/) reaches the others on it the same way."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts.models import Membership, User
from presence.signals import watchers_changed

from .events import publish


@receiver(post_save, sender=User)
def user_saved(sender, instance, **kwargs):
    if not instance.is_active:
        publish("access", user_id=instance.pk)


@receiver(post_save, sender=Membership)
@receiver(post_delete, sender=Membership)
def membership_changed(sender, instance, **kwargs):
    publish("access", user_id=instance.user_id)


@receiver(watchers_changed)
def watchers_changed_push(sender, kind, object_id, shop_id, **kwargs):
    """The marks live in the cache, visible before any commit: announce at once."""
    publish(f"presence_{kind}", shop_id=shop_id, already_visible=True, object=object_id)
