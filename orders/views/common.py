from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404


def get_or_404(getter, *args, **kwargs):
    """Run a selector's ``get``: a foreign and an unknown object are both a 404."""
    try:
        return getter(*args, **kwargs)
    except ObjectDoesNotExist:
        raise Http404 from None
