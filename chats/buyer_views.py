"""The buyer's web chat page (/c/<shop code>/): no login, the buyer gives a nick.

A signed cookie per shop keeps the buyer's nick and the conversation this browser
started; the page shows only that conversation and fetches the shop's replies when its
event stream (live/) says there are some. Sending is throttled per client address, and opening a conversation per address
and per shop (chats/throttles.py): typing a new nick does not buy a new allowance."""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from helpdesk import clock
from helpdesk.images import ImageRefused, private_image_response, read_upload

from . import throttles
from .buyer_cookie import buyer_identity, remember_buyer
from .buyer_selectors import access_buyer_image, access_webchat_channel, buyer_conversation_of
from .errors import ChatError, InvalidMessage
from .forms import BuyerMessageForm, BuyerNickForm
from .media import MAX_IMAGE_BYTES, chat_image_clean, image_filename
from .models import Channel, ConversationState
from .selectors import buyer_messages_of, highest_id
from .services import buyer_message_receive, survey_answer
from .services.closing import survey_conversation

# One photo and the text beside it; a bigger request is refused before it is parsed.
MAX_SEND_BYTES = MAX_IMAGE_BYTES + 64 * 1024


def _declared_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _opens_a_conversation(channel: Channel, identity: dict) -> bool:
    """Whether this browser's next message starts a conversation (none yet, or closed)."""
    conversation = buyer_conversation_of(channel, identity)
    return conversation is None or conversation.state == ConversationState.CLOSED


def chat(request, shop_code):
    channel = access_webchat_channel(shop_code)
    shop = channel.shop
    identity = buyer_identity(request, shop)
    if request.method == "POST" and "nick" in request.POST:
        form = BuyerNickForm(request.POST)
        if form.is_valid():
            response = redirect("buyer_chat:chat", shop_code=shop.code)
            return remember_buyer(
                response, request, shop, {"nick": form.cleaned_data["nick"], "c": 0}
            )
        return render(request, "chats/buyer_chat.html", {"shop": shop, "nick_form": form})
    if identity is None:
        return render(
            request, "chats/buyer_chat.html", {"shop": shop, "nick_form": BuyerNickForm()}
        )
    conversation = buyer_conversation_of(channel, identity)
    chat_messages = buyer_messages_of(conversation) if conversation else []
    return render(
        request,
        "chats/buyer_chat.html",
        {
            "shop": shop,
            "nick": identity["nick"],
            "conversation": conversation,
            "chat_messages": chat_messages,
            "last_id": highest_id(chat_messages),
            "form": BuyerMessageForm(),
        },
    )


@require_POST
def send(request, shop_code):
    channel = access_webchat_channel(shop_code)
    shop = channel.shop
    identity = buyer_identity(request, shop)
    if identity is None:
        return redirect("buyer_chat:chat", shop_code=shop.code)
    if _declared_length(request) > MAX_SEND_BYTES:
        return HttpResponse(_("图片不能超过 5 MB。"), status=413)
    if throttles.message_refused(request, shop.pk):
        return HttpResponse(_("发送太频繁了，请稍后再试。"), status=429)
    if _opens_a_conversation(channel, identity) and throttles.new_conversation_refused(
        request, shop.pk
    ):
        return HttpResponse(_("咨询的人太多了，请稍后再试。"), status=429)
    form = BuyerMessageForm(request.POST, request.FILES)
    if not form.is_valid():
        return HttpResponse(_("消息不能为空，且不能超过 2000 字。"), status=400)
    try:
        upload = form.cleaned_data["image"]
        images = []
        if upload:
            data = read_upload(upload, max_bytes=MAX_IMAGE_BYTES)
            images = [chat_image_clean(data, field="image")]
        message, _created = buyer_message_receive(
            channel=channel,
            buyer_nick=identity["nick"],
            text=form.cleaned_data["text"],
            now=clock.now(),
            browser_conversation_id=identity.get("c") or 0,
            images=images,
        )
    except (InvalidMessage, ImageRefused) as error:
        return HttpResponse(str(error), status=error.status_code)
    identity["c"] = message.conversation_id
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Trigger"] = "chat-sent"
    else:
        response = redirect("buyer_chat:chat", shop_code=shop.code)
    return remember_buyer(response, request, shop, identity)


def messages(request, shop_code):
    """Poll: the shop's replies (and the buyer's own) after ``after``; 204 when none."""
    channel = access_webchat_channel(shop_code)
    identity = buyer_identity(request, channel.shop)
    conversation = buyer_conversation_of(channel, identity) if identity else None
    if conversation is None:
        return HttpResponse(status=204)
    try:
        after = int(request.GET.get("after", "0"))
    except ValueError:
        after = 0
    new = buyer_messages_of(conversation, after=after)
    if not new:
        return HttpResponse(status=204)
    return render(
        request,
        "chats/buyer_chat.html#messages",
        {"shop": channel.shop, "chat_messages": new, "last_id": highest_id(new)},
    )


def image(request, shop_code, pk):
    """A photo of this browser's own conversation (the buyer's or one the shop sent)."""
    channel = access_webchat_channel(shop_code)
    identity = buyer_identity(request, channel.shop)
    conversation = buyer_conversation_of(channel, identity) if identity else None
    item = access_buyer_image(conversation, pk)
    thumbnail = request.GET.get("size") == "thumb"
    return private_image_response(
        item.thumbnail if thumbnail else item.file,
        content_type=item.content_type,
        filename=image_filename(item, thumbnail=thumbnail),
    )


def survey(request, token):
    """The 1–5 satisfaction link sent when the conversation closes; answered once."""
    try:
        conversation = survey_conversation(token)
    except ChatError:
        raise Http404 from None
    error = None
    if request.method == "POST":
        try:
            rating = int(request.POST.get("rating", ""))
        except ValueError:
            rating = 0
        try:
            conversation = survey_answer(token=token, rating=rating, now=clock.now())
        except ChatError as refused:
            error = str(refused)
    return render(
        request,
        "chats/survey.html",
        {"conversation": conversation, "error": error, "ratings": range(1, 6)},
        status=400 if error else 200,
    )
