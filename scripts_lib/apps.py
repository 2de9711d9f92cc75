from django.apps import AppConfig


class ScriptsLibConfig(AppConfig):
    name = "scripts_lib"
    verbose_name = "话术库"
