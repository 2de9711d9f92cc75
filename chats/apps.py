from django.apps import AppConfig


class ChatsConfig(AppConfig):
    name = "chats"
    verbose_name = "会话与消息渠道"

    def ready(self):
        # Registers the approvals handler that posts a discount answer into the chat.
        from .services import bargaining  # noqa: F401
