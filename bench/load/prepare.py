"""Set up the load bench's database: migrate, load the demo shops, and create the staff
the load users log in as (known password), then write what the locustfile needs to a
JSON fixture. Safe to run again: everything is created once and reset on later runs.

    DJANGO_SETTINGS_MODULE=bench_settings python bench/load/prepare.py \
        --agents 50 --supervisors 3 --rows 20000 --out var/load/fixture.json

Refuses a database whose name does not contain "bench".
"""

import argparse
import io
import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path[:0] = [str(ROOT), str(HERE)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench_settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

from accounts.models import Membership, Platform, Shop, Team, User  # noqa: E402
from accounts.roles import Role  # noqa: E402
from chats.models import Channel, ChannelKind  # noqa: E402
from helpdesk.demo import DEMO_TEAM  # noqa: E402
from tests.exports import CLASSIC_ALL, generated_order_rows, write_csv  # noqa: E402

PASSWORD = "load-bench-2026"
AGENT_ROLES = [Role.PRE_SALE, Role.PRE_SALE, Role.PRE_SALE, Role.IN_SALE, Role.AFTER_SALE]
WORK_NUMBER_BASE = 5000
IMPORT_SHOP = "load-import"


def refuse_unless_bench() -> None:
    name = str(settings.DATABASES["default"]["NAME"])
    if "bench" not in name:
        sys.exit(f"Refusing to prepare database {name!r}: its name must contain 'bench'.")


def _user(team: Team, username: str, display: str, number: int) -> User:
    user, _created = User.objects.update_or_create(
        username=username,
        defaults={
            "display_name": display,
            "work_number": str(number),
            "team": team,
            "is_active": True,
        },
    )
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


def _member(user: User, shops: list[Shop], role: Role) -> None:
    Membership.objects.filter(user=user).exclude(shop__in=shops).delete()
    for shop in shops:
        Membership.objects.update_or_create(user=user, shop=shop, defaults={"role": role})


@transaction.atomic
def create_staff(team: Team, shops: list[Shop], agents: int, supervisors: int) -> dict:
    """Agents spread over the shops (three in five pre-sale, then in-sale, after-sale);
    supervisors over every shop; one in-sale lead who uploads the import."""
    made = {"agents": [], "supervisors": [], "importer": "load-importer"}
    for index in range(1, agents + 1):
        user = _user(
            team, f"load-agent-{index:02d}", f"压测客服{index:02d}", WORK_NUMBER_BASE + index
        )
        _member(user, [shops[index % len(shops)]], AGENT_ROLES[index % len(AGENT_ROLES)])
        made["agents"].append(user.username)
    for index in range(1, supervisors + 1):
        user = _user(
            team, f"load-supervisor-{index}", f"压测主管{index}", WORK_NUMBER_BASE + 900 + index
        )
        _member(user, shops, Role.SUPERVISOR)
        made["supervisors"].append(user.username)
    importer = _user(team, made["importer"], "压测导入", WORK_NUMBER_BASE + 999)
    _member(importer, [import_shop(team)], Role.IN_SALE)
    return made


def import_shop(team: Team) -> Shop:
    """A shop of its own for the order import, made afresh each run (its orders and
    buyers go with it), so that every run imports new orders rather than re-reading
    ones a previous run stored. Its name is the one the generated file carries."""
    Shop.objects.filter(code=IMPORT_SHOP).delete()
    return Shop.objects.create(
        team=team, code=IMPORT_SHOP, name="压测店铺", platform=Platform.TAOBAO
    )


def channels(shops: list[Shop]) -> dict:
    found = {"webchat": [], "bridge": []}
    for shop in shops:
        for kind in (ChannelKind.WEBCHAT, ChannelKind.BRIDGE):
            channel = (
                Channel.objects.filter(shop=shop, kind=kind, is_active=True).order_by("pk").first()
            )
            if channel is None:
                channel = Channel.objects.create(shop=shop, name=f"压测{kind.label}", kind=kind)
            entry = {"shop": shop.code, "id": channel.pk, "secret": channel.secret}
            found[kind.value].append(entry)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agents", type=int, default=50)
    parser.add_argument("--supervisors", type=int, default=3)
    parser.add_argument("--rows", type=int, default=20_000, help="rows of the order file")
    parser.add_argument("--out", type=Path, required=True, help="fixture JSON to write")
    args = parser.parse_args()
    refuse_unless_bench()

    call_command("migrate", interactive=False, verbosity=0)
    call_command("seed_demo", stdout=io.StringIO())
    team = Team.objects.get(name=DEMO_TEAM)
    shops = list(
        Shop.objects.filter(team=team, is_active=True).exclude(code=IMPORT_SHOP).order_by("pk")
    )
    staff = create_staff(team, shops, args.agents, args.supervisors)

    order_file = args.out.parent / f"orders-{args.rows}.csv"
    if not order_file.exists():
        write_csv(order_file, generated_order_rows(args.rows), header=CLASSIC_ALL)
    fixture = {
        "password": PASSWORD,
        **staff,
        "channels": channels(shops),
        "import": {"shop": IMPORT_SHOP, "file": str(order_file)},
    }
    args.out.write_text(json.dumps(fixture, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
