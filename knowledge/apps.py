from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "knowledge"
    verbose_name = "知识库"

    def ready(self):
        from . import signals  # noqa: F401 - connects the auto-answer hook
