from datetime import date, datetime, time

from django.db.models import QuerySet
from django.utils import timezone

from accounts.permissions import restrict

from .models import AuditEvent


def events_visible_to(
    user,
    *,
    shop_id: int | None = None,
    verb: str = "",
    actor_id: int | None = None,
    object_type: str = "",
    day: date | None = None,
) -> QuerySet[AuditEvent]:
    events = restrict(AuditEvent.objects.all(), user, "audit.view").select_related("actor", "shop")
    if shop_id:
        events = events.filter(shop_id=shop_id)
    if verb:
        events = events.filter(verb__startswith=verb)
    if actor_id:
        events = events.filter(actor_id=actor_id)
    if object_type:
        events = events.filter(object_type=object_type)
    if day:
        start = timezone.make_aware(datetime.combine(day, time.min))
        end = timezone.make_aware(datetime.combine(day, time.max))
        events = events.filter(created_at__range=(start, end))
    return events
