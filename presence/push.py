"""Who is viewing or typing on an object reaches the others on it through server push
(live/, which sits below presence and so does not listen here itself)."""

from django.dispatch import receiver

from live.events import publish

from .signals import watchers_changed


@receiver(watchers_changed)
def watchers_changed_push(sender, kind, object_id, shop_id, **kwargs):
    """The marks live in the cache, visible before any commit: announce at once."""
    publish(f"presence_{kind}", shop_id=shop_id, already_visible=True, object=object_id)
