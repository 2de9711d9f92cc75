from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "中差评"

    def ready(self):
        from scripts_lib.etiquette import register_review_reply_source
        from tickets.inbox import register_inbox_section

        from .deadlines import inbox_review_breaches
        from .etiquette import shop_review_replies
        from .selectors import inbox_extortion_cases

        register_review_reply_source(shop_review_replies)
        register_inbox_section(
            "extortion",
            inbox_extortion_cases,
            "reviews/inbox_extortion.html",
            title=_("差评要挟"),
            order=40,
        )
        register_inbox_section(
            "review_breaches",
            inbox_review_breaches,
            "reviews/inbox_breaches.html",
            title=_("中差评超时"),
            order=45,
        )
