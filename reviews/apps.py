from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "中差评"

    def ready(self):
        from scripts_lib.etiquette import register_review_reply_source

        from .etiquette import shop_review_replies

        register_review_reply_source(shop_review_replies)
