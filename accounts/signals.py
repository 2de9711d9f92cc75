"""Keep a user's sessions on record, so that ``accounts.services.access_revoke`` can end
them when the account is deactivated."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .models import UserSession


@receiver(user_logged_in)
def remember_session(sender, request, user, **kwargs):
    if request.session.session_key is None:
        request.session.save()
    UserSession.objects.get_or_create(
        session_key=request.session.session_key, defaults={"user": user}
    )
