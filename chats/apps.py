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
        from scripts_lib.buyer_texts import register_shipped_texts

        from .services.stock import stock_notice_buyer_texts

        register_shipped_texts(stock_notice_buyer_texts)
