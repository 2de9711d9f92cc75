"""The client's address, also behind the TLS proxy the README prescribes.

Behind a proxy every request's ``REMOTE_ADDR`` is the proxy's, so throttles keyed on it
(login lockout, the buyers' chat limits) would lump every client together. Each trusted
proxy appends the address it received the request from to ``X-Forwarded-For``; with
``HELPDESK_TRUSTED_PROXY_COUNT`` = n the client is the n-th entry from the right. Entries
further left were written by the client itself and are never trusted. With 0 (no proxy)
the header is ignored, so a client talking to the app directly cannot pick its address.
"""

import ipaddress

from django.conf import settings


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.HELPDESK_TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < count:
        # Not through every proxy we were told about (or a misconfigured count): the
        # connecting address is all we know.
        return remote
    return _valid(hops[-count]) or remote
