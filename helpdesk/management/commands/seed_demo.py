import random

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import Team
from helpdesk import clock
from helpdesk.demo import DEMO_PASSWORD, DEMO_TEAM, DemoContext, seed_all


class Command(BaseCommand):
    help = "Load demo shops, staff for every role, buyers, orders and the rest, once."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="random seed")
        parser.add_argument(
            "--base-url",
            default="",
            help="print each demo shop's buyer chat page under this address (scripts/run)",
        )

    def handle(self, *args, seed, base_url, **options):
        if Team.objects.filter(name=DEMO_TEAM).exists():
            self.stdout.write("Demo data already loaded.")
        else:
            ctx = DemoContext(now=clock.now(), rng=random.Random(seed))
            with transaction.atomic():
                seed_all(ctx, self.stdout.write)
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.print_logins()
        if base_url:
            self.print_chat_pages(base_url.rstrip("/"))

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

    def print_chat_pages(self, base_url: str):
        from django.urls import reverse

        from accounts.models import Shop

        self.stdout.write("Buyer chat pages (what a buyer sees):")
        for shop in Shop.objects.filter(team__name=DEMO_TEAM, is_active=True).order_by("code"):
            path = reverse("buyer_chat:chat", kwargs={"shop_code": shop.code})
            self.stdout.write(f"  {shop.name:<10} {base_url}{path}")
