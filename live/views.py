"""The push endpoints: server-sent events served by async views (ASGI).

A refused subscription is an ordinary 403 (or 204 for a buyer page with no conversation
yet: EventSource stops, live.js retries later). Once open, the stream only says *that*
something changed; the page re-fetches the fragment through the usual views."""

from asgiref.sync import sync_to_async
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, HttpResponseForbidden, StreamingHttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from chats.buyer_cookie import buyer_identity
from chats.buyer_selectors import access_webchat_channel, buyer_conversation_of
from presence.services import page_closer

from .streams import agent_stream, buyer_stream, releasing_connection, subscribable_shops


def _event_stream(stream) -> StreamingHttpResponse:
    response = StreamingHttpResponse(stream, content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response


def _requested_shops(request) -> list[int] | None:
    try:
        return [int(value) for value in request.GET.getlist("shop")]
    except ValueError:
        return None


@never_cache
@require_GET
async def agent_events(request):
    """``/live/events/[?shop=<id>…][&page=<id>]``: the signed-in user's shops (or those
    asked for, all of which must be theirs) and their own notifications; ``page``: the
    page's own id, under which its presence beats, which ends with the stream."""
    user = await request.auser()
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    requested = _requested_shops(request)
    if requested is None:
        return HttpResponseForbidden()
    shops = await sync_to_async(subscribable_shops)(user, requested)
    if not shops:
        return HttpResponseForbidden()
    on_close = page_closer(user.pk, request.GET.get("page", ""))
    return _event_stream(agent_stream(user, shops, on_close=on_close))


@releasing_connection
def _buyer_conversation_id(request, shop_code: str) -> int | None:
    """The conversation this browser's signed cookie names, under the web chat page's
    own rules (chats/buyer_views.py); 404 for an unknown shop."""
    channel = access_webchat_channel(shop_code)
    identity = buyer_identity(request, channel.shop)
    conversation = buyer_conversation_of(channel, identity) if identity else None
    return conversation.pk if conversation else None


@never_cache
@require_GET
async def buyer_events(request, shop_code):
    conversation_id = await sync_to_async(_buyer_conversation_id)(request, shop_code)
    if conversation_id is None:
        return HttpResponse(status=204)
    return _event_stream(buyer_stream(conversation_id))
