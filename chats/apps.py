from django.apps import AppConfig


class ChatsConfig(AppConfig):
    name = "chats"
    verbose_name = "会话与消息渠道"

    def ready(self):
        # Registers the approvals handler that posts a discount answer into the chat.
        from django.urls import reverse

        from approvals.links import register_subject_link

        from .services import bargaining  # noqa: F401

        register_subject_link(
            "chats.conversation", lambda pk: reverse("chats:conversation", args=[int(pk)])
        )
