"""How fast, and in how much memory, are buyers' chat photos re-encoded?

Makes 20 phone-like JPEGs of about 5 MB (4000x3000, noisy, with EXIF), then runs 20 at
once (one thread each, as 20 concurrent uploads in one worker) through each of:

- baseline: read and fully decode each file (Image.open + load), no re-encoding;
- ticket path: helpdesk.images.clean_image with the ticket photo caps (full size);
- chat path: chats.media.chat_image_clean (reduced-scale JPEG decode, 2560 px, thumbnail).

Each scenario runs in its own process so its peak memory (ru_maxrss) is its own. The
ratios chat/baseline are what to watch.

    python bench/media.py            # 20 uploads, 3 rounds
    python bench/media.py --quick    # 4 uploads, 1 round (CI)
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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--scenario", choices=SCENARIOS)
    parser.add_argument("--files", nargs="*")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
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
