"""Channel signatures: HMAC-SHA256 of "<unix timestamp>.<raw body>" with the channel's
secret, sent as ``X-Helpdesk-Signature: sha256=<hex>`` beside ``X-Helpdesk-Timestamp``.
Both directions (bridge → helpdesk, helpdesk → bridge webhook) use the same scheme."""

import hashlib
import hmac
from datetime import datetime

TIMESTAMP_HEADER = "X-Helpdesk-Timestamp"
SIGNATURE_HEADER = "X-Helpdesk-Signature"
IDEMPOTENCY_HEADER = "Idempotency-Key"
MAX_CLOCK_SKEW_SECONDS = 5 * 60


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def signature_ok(
    *, secret: str, timestamp: str | None, given: str | None, body: bytes, now: datetime
) -> bool:
    """True when the signature matches and the timestamp is within five minutes of now
    (an old, replayed request is refused even with a valid signature)."""
    if not timestamp or not given or not timestamp.isdigit():
        return False
    if abs(now.timestamp() - int(timestamp)) > MAX_CLOCK_SKEW_SECONDS:
        return False
    return hmac.compare_digest(signature(secret, timestamp, body), given.strip())
