"""The agents' REST API for conversations, scoped like the pages (another shop's
conversation is a 404). Message bodies are only in the detail, never in the list."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.views import APIView

from helpdesk.images import private_image_response
from scripts_lib.etiquette import finding_message

from .media import access_chat_image, image_filename
from .models import Conversation, Message, MessageImage
from .selectors import access_conversation, conversations_visible_to, messages_of


class ConversationSerializer(serializers.ModelSerializer):
    shop = serializers.CharField(source="shop.code")
    buyer_nick = serializers.CharField(source="buyer.nick")
    assignee = serializers.CharField(source="assignee.label", default=None)
    average_response_seconds = serializers.FloatField()

    class Meta:
        model = Conversation
        fields = [
            "id",
            "shop",
            "buyer_nick",
            "queue",
            "state",
            "assignee",
            "created_at",
            "last_message_at",
            "awaiting_reply_since",
            "unread_count",
            "first_response_seconds",
            "average_response_seconds",
            "auto_greeted_at",
            "outcome",
            "closed_at",
            "csat_rating",
        ]


class MessageImageSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = MessageImage
        fields = ["url", "width", "height", "content_type"]

    def get_url(self, image) -> str:
        path = reverse("chat-image", args=[image.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class MessageSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.label", default=None)
    findings = serializers.SerializerMethodField()
    images = MessageImageSerializer(many=True, read_only=True)

    class Meta:
        model = Message
        fields = [
            "id",
            "sender",
            "author",
            "text",
            "sent_at",
            "is_internal",
            "findings",
            "card",
            "images",
        ]

    def get_findings(self, message: Message) -> list[dict]:
        """Each kept finding with its advice in the reader's language."""
        return [{**f, "message": finding_message(f)} for f in message.findings]


class ConversationDetailSerializer(ConversationSerializer):
    messages = serializers.SerializerMethodField()

    class Meta(ConversationSerializer.Meta):
        fields = [*ConversationSerializer.Meta.fields, "messages"]

    def get_messages(self, conversation) -> list[dict]:
        return MessageSerializer(messages_of(conversation), many=True, context=self.context).data


class ConversationList(generics.ListAPIView):
    """Open and closed conversations of the caller's shops, newest activity first;
    ``?state=queued|active|closed`` filters."""

    serializer_class = ConversationSerializer

    def get_queryset(self):
        conversations = conversations_visible_to(self.request.user).select_related(
            "shop", "buyer", "assignee"
        )
        state = self.request.query_params.get("state")
        if state:
            conversations = conversations.filter(state=state)
        return conversations.order_by("-last_message_at", "-pk")


class ConversationDetail(generics.RetrieveAPIView):
    serializer_class = ConversationDetailSerializer

    def get_object(self):
        return access_conversation(self.request.user, self.kwargs["pk"])


class ChatImageFile(APIView):
    """A chat photo, to staff who may work the conversation's shop (another shop's is a
    404); ``?size=thumb`` gives the thumbnail. Never sniffed as HTML, sandboxed."""

    @extend_schema(
        summary="A chat photo (JPEG, PNG, WebP or GIF)",
        parameters=[OpenApiParameter("size", str, enum=["thumb"], description="the thumbnail")],
        responses={(200, "image/*"): OpenApiTypes.BINARY},
    )
    def get(self, request, pk):
        image = access_chat_image(request.user, pk)
        thumbnail = request.query_params.get("size") == "thumb"
        return private_image_response(
            image.thumbnail if thumbnail else image.file,
            content_type=image.content_type,
            filename=image_filename(image, thumbnail=thumbnail),
        )
