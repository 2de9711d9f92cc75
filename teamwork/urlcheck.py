"""Which webhook URLs our server may call.

A webhook request leaves from inside the shop's network, so a URL that names a loopback,
private, link-local or otherwise non-public address (directly or through DNS) would let a
manager probe internal services. Every address the host name resolves to is checked, at
registration and again before each delivery (a name may be re-pointed later). A delivery
connects to the very address it checked (``WebhookTarget.address``), so a name that answers a
public address to the check and a private one to the connection (DNS rebinding) cannot slip
through. Tests and intranet installations set ``HELPDESK_WEBHOOK_ALLOW_PRIVATE=1``.
"""

import ipaddress
import os
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from .errors import WebhookUrlRefused

ALLOW_PRIVATE_ENV = "HELPDESK_WEBHOOK_ALLOW_PRIVATE"


def private_allowed() -> bool:
    return os.environ.get(ALLOW_PRIVATE_ENV) == "1"


def _resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        raise WebhookUrlRefused(_("无法解析主机名 %(host)s。") % {"host": host}) from None
    return sorted({info[4][0] for info in infos})


@dataclass(frozen=True)
class WebhookTarget:
    """A checked URL and the one address a delivery connects to."""

    url: str
    scheme: str
    host: str
    port: int
    path: str
    address: str


def resolve_webhook_target(url: str) -> WebhookTarget:
    """The URL's parts and a checked address to connect to; WebhookUrlRefused otherwise."""
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise WebhookUrlRefused(_("地址必须以 http:// 或 https:// 开头并包含主机名。"))
    if parts.username or parts.password:
        raise WebhookUrlRefused(_("地址中不能包含用户名或密码。"))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise WebhookUrlRefused(_("端口号无效。")) from None
    addresses = _resolve(parts.hostname, port)
    if not private_allowed():
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%")[0])
            if not ip.is_global or ip.is_multicast:
                raise WebhookUrlRefused(
                    _("地址 %(host)s 指向内网或本机地址（%(ip)s），出于安全原因不允许。")
                    % {"host": parts.hostname, "ip": address}
                )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return WebhookTarget(url, parts.scheme, parts.hostname, port, path, addresses[0])


def check_webhook_url(url: str) -> str:
    """The URL, stripped, if our server may POST to it; WebhookUrlRefused otherwise."""
    return resolve_webhook_target(url).url
