from django.core.management.base import BaseCommand, CommandError

from accounts.models import Platform, Shop, Team


class Command(BaseCommand):
    help = "Create a shop (or update its name and platform) in the only, or the named, team."

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument("name")
        parser.add_argument("--platform", choices=Platform.values, required=True)
        parser.add_argument("--team", help="team name (default: the only team, created if none)")

    def handle(self, *args, code, name, platform, team, **options):
        if team:
            team_obj, _ = Team.objects.get_or_create(name=team)
        else:
            teams = list(Team.objects.all()[:2])
            if len(teams) > 1:
                raise CommandError("There are several teams; name one with --team.")
            team_obj = teams[0] if teams else Team.objects.create(name="客服团队")
        shop, created = Shop.objects.update_or_create(
            code=code, defaults={"name": name, "platform": platform, "team": team_obj}
        )
        verb = "Created" if created else "Updated"
        self.stdout.write(f"{verb} shop {shop.code} ({shop.name}, {shop.get_platform_display()}).")
