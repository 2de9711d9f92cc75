from django.urls import path

from . import api, inbound

urlpatterns = [
    path("channels/<int:channel_id>/messages", inbound.channel_messages, name="channel-messages"),
    path("conversations/", api.ConversationList.as_view(), name="conversation-list"),
    path("conversations/<int:pk>/", api.ConversationDetail.as_view(), name="conversation-detail"),
    path("chat-images/<uuid:pk>/", api.ChatImageFile.as_view(), name="chat-image"),
]
