from django.apps import AppConfig


class PresenceConfig(AppConfig):
    name = "presence"
    verbose_name = "协同：谁在查看、谁在输入"

    def ready(self):
        from . import push  # noqa: F401
