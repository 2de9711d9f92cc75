"""Keep a user's sessions on record, and end them (and API tokens) when the user is
deactivated, whichever path deactivated them: a service, the admin or the shell."""

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import User, UserSession


@receiver(user_logged_in)
def remember_session(sender, request, user, **kwargs):
    if request.session.session_key is None:
        request.session.save()
    UserSession.objects.get_or_create(
        session_key=request.session.session_key, defaults={"user": user}
    )


@receiver(post_save, sender=User)
def revoke_access_of_inactive_user(sender, instance: User, **kwargs):
    if not instance.is_active:
        from .services import revoke_access

        revoke_access(instance)
