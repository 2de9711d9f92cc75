"""How fast, and in how much memory, are buyers' chat photos re-encoded?

Makes 20 phone-like JPEGs of about 5 MB (4000x3000, noisy, with EXIF), then runs 20 at
once (one thread each, as 20 concurrent uploads in one worker) through each of:

- baseline: read and fully decode each file (Image.open + load), no re-encoding;
- ticket path: helpdesk.images.clean_image with the ticket photo caps (full size);
- chat path: chats.media.chat_image_clean (reduced-scale JPEG decode, 2560 px, thumbnail).

Each scenario runs in its own process so its peak memory (ru_maxrss) is its own. The
ratios chat/baseline are what to watch.

``--pane`` measures the agent's conversation pane instead (issue 22): one conversation of
50 text messages (the baseline), then the same conversation with 50 images and cards
(buyer photos, library images sent by the agent, product cards with their main image),
in a throw-away database (<your database>_media_bench, built from the models). It prints
the queries and the median time of each, and the ratios: the query count must not move.

    python bench/media.py            # 20 uploads, 3 rounds
    python bench/media.py --quick    # 4 uploads, 1 round (CI)
    python bench/media.py --pane     # the pane: 50 text messages vs 50 images and cards
"""

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ("baseline", "ticket", "chat")


def make_files(folder: Path, count: int) -> list[Path]:
    from PIL import Image

    paths = []
    for i in range(count):
        noise = Image.effect_noise((4000, 3000), 60).convert("RGB")
        exif = Image.Exif()
        exif[0x010F] = "BenchPhone"
        path = folder / f"photo-{i}.jpg"
        noise.save(path, format="JPEG", quality=54, exif=exif)
        paths.append(path)
    return paths


def run_scenario(name: str, paths: list[str], rounds: int) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from PIL import Image

    from chats.media import chat_image_clean
    from helpdesk.images import clean_image
    from tickets import photos

    def baseline(data: bytes):
        image = Image.open(io.BytesIO(data))
        image.load()

    def ticket(data: bytes):
        clean_image(data, max_pixels=photos.MAX_PIXELS, max_side=photos.MAX_SIDE)

    def chat(data: bytes):
        chat_image_clean(data, field="image")

    work = {"baseline": baseline, "ticket": ticket, "chat": chat}[name]
    blobs = [Path(p).read_bytes() for p in paths]
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=len(blobs)) as pool:
            list(pool.map(work, blobs))
        timings.append(time.perf_counter() - started)
    best = min(timings)
    return {
        "scenario": name,
        "seconds": round(best, 3),
        "images_per_second": round(len(blobs) / best, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


PANE_MESSAGES = 50
PANE_RUNS = 9


def _pane_figures(client, url: str) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, HTTP_HX_REQUEST="true", secure=True)  # warm-up
    timings = []
    for _ in range(PANE_RUNS):
        started = time.perf_counter()
        response = client.get(url, HTTP_HX_REQUEST="true", secure=True)
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        client.get(url, HTTP_HX_REQUEST="true", secure=True)
    timings.sort()
    return {"queries": len(queries), "median_ms": round(timings[len(timings) // 2] * 1000, 1)}


def run_pane() -> None:
    """The conversation pane with PANE_MESSAGES text messages, then with as many images
    and cards, in a database made for the run and dropped after it."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")
    os.environ.setdefault("HELPDESK_TESTING", "1")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from accounts.models import Membership, Shop, Team, User
    from accounts.roles import Role
    from catalogue.sending import library_image_send, product_card_send
    from chats.media import chat_image_clean, message_images_store
    from chats.models import ConversationState
    from helpdesk import clock
    from tests.catalogue.factories import make_library_image, make_product
    from tests.chats.factories import make_channel, make_conversation

    setup_test_environment()
    name = settings.DATABASES["default"]["NAME"] + "_media_bench"
    connection.settings_dict.setdefault("TEST", {}).update(NAME=name, MIGRATE=False)
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    media = tempfile.TemporaryDirectory()
    settings.MEDIA_ROOT = Path(media.name)
    try:
        now = clock.now()
        team = Team.objects.create(name="压测团队")
        shop = Shop.objects.create(
            team=team, code="bench-media", name="压测店铺", platform="taobao"
        )
        agent = User.objects.create(username="bench-agent", team=team, work_number="1001")
        Membership.objects.create(user=agent, shop=shop, role=Role.PRE_SALE)
        channel = make_channel(shop)

        def conversation_with_texts():
            return make_conversation(
                shop,
                now=now,
                channel=channel,
                messages=PANE_MESSAGES,
                assignee=agent,
                state=ConversationState.ACTIVE,
            )

        client = Client()
        client.force_login(agent)
        plain = conversation_with_texts()
        baseline = _pane_figures(client, f"/chats/{plain.pk}/")

        rich = conversation_with_texts()
        photo = chat_image_clean(
            Path(make_files(Path(media.name), 1)[0]).read_bytes(), field="image"
        )
        product = make_product(
            shop, title="双面羊绒大衣 驼色", link="https://item.taobao.com/item.htm?id=1"
        )
        chart = make_library_image(shop, name="尺码表")
        buyer_messages = list(rich.messages.order_by("pk")[: PANE_MESSAGES // 2])
        for message in buyer_messages:
            message_images_store(message=message, images=[photo], now=now)
        for i in range(PANE_MESSAGES // 2):
            if i % 2:
                library_image_send(actor=agent, conversation=rich, image=chart, now=now)
            else:
                product_card_send(actor=agent, conversation=rich, product=product, now=now)
        rich_figures = _pane_figures(client, f"/chats/{rich.pk}/")
        images = sum(1 for m in rich.messages.prefetch_related("images") for _ in m.images.all())
        cards = rich.messages.filter(card__isnull=False).count()
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)
        media.cleanup()
    print(f"pane, {PANE_MESSAGES} text messages: {json.dumps(baseline)}")
    print(
        f"pane, {images} images and {cards} product cards among the latest messages: "
        f"{json.dumps(rich_figures)}"
    )
    print(
        f"rich/plain: queries {rich_figures['queries']}/{baseline['queries']}, "
        f"time x{rich_figures['median_ms'] / baseline['median_ms']:.2f}"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--scenario", choices=SCENARIOS)
    parser.add_argument("--files", nargs="*")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pane", action="store_true")
    args = parser.parse_args()
    if args.pane:
        run_pane()
        return
    if args.scenario:
        print(json.dumps(run_scenario(args.scenario, args.files, args.rounds)))
        return
    count, rounds = (4, 1) if args.quick else (20, args.rounds)
    with tempfile.TemporaryDirectory() as folder:
        paths = make_files(Path(folder), count)
        sizes = [p.stat().st_size for p in paths]
        print(f"{count} JPEGs 4000x3000, {min(sizes) / 1e6:.1f}-{max(sizes) / 1e6:.1f} MB each")
        results = {}
        for name in SCENARIOS:
            command = [sys.executable, __file__, "--scenario", name, "--rounds", str(rounds)]
            output = subprocess.run(
                [*command, "--files", *map(str, paths)],
                check=True,
                capture_output=True,
                text=True,
                cwd=ROOT,
            ).stdout
            results[name] = json.loads(output.strip().splitlines()[-1])
            print(json.dumps(results[name]))
    base, chat = results["baseline"], results["chat"]
    print(
        f"chat/baseline: time x{chat['seconds'] / base['seconds']:.2f}, "
        f"peak memory x{chat['peak_rss_mb'] / base['peak_rss_mb']:.2f}; "
        f"ticket/baseline: time x{results['ticket']['seconds'] / base['seconds']:.2f}, "
        f"peak memory x{results['ticket']['peak_rss_mb'] / base['peak_rss_mb']:.2f}"
    )


if __name__ == "__main__":
    main()
