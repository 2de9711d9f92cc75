from django.apps import AppConfig


class TeamworkConfig(AppConfig):
    name = "teamwork"
    verbose_name = "团队协作"
