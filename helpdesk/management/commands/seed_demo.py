import random

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import Team
from helpdesk import clock
from helpdesk.demo import DEMO_PASSWORD, DemoContext, seed_all

DEMO_TEAM = "云裳客服部"


class Command(BaseCommand):
    help = "Load demo shops, staff for every role, buyers, orders and the rest, once."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="random seed")

    def handle(self, *args, seed, **options):
        if Team.objects.filter(name=DEMO_TEAM).exists():
            self.stdout.write("Demo data already loaded.")
        else:
            ctx = DemoContext(now=clock.now(), rng=random.Random(seed))
            with transaction.atomic():
                seed_all(ctx, self.stdout.write)
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.print_logins()

    def print_logins(self):
        from accounts.models import Membership

        seen = set()
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        memberships = (
            Membership.objects.filter(shop__team__name=DEMO_TEAM)
            .select_related("user")
            .order_by("user__work_number")
        )
        for membership in memberships:
            if membership.user_id in seen:
                continue
            seen.add(membership.user_id)
            user = membership.user
            self.stdout.write(
                f"  {membership.get_role_display():<10} {user.username:<12} 工号 {user.work_number}"
            )
