from django.core.management.base import BaseCommand, CommandError

from accounts.models import Team
from helpdesk import clock
from scripts_lib.services import default_scripts_load


class Command(BaseCommand):
    help = "Load the default reply-script library into a team as team-wide scripts (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--team", help="team name (default: the only team); created if new")

    def handle(self, *args, team, **options):
        if team:
            team_obj, _created = Team.objects.get_or_create(name=team)
        else:
            teams = list(Team.objects.all()[:2])
            if len(teams) != 1:
                raise CommandError("Name the team with --team (there are several, or none).")
            team_obj = teams[0]
        added = default_scripts_load(team=team_obj, now=clock.now())
        self.stdout.write(f"Added {added} default scripts to team {team_obj.name}.")
