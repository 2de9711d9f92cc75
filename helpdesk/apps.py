from django.apps import AppConfig


class HelpdeskConfig(AppConfig):
    """Project-wide commands (seed_demo, run_job) and the job registry."""

    name = "helpdesk"
    verbose_name = "客服工作台"
