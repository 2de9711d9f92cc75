"""Embedded brokers under concurrent producers and consumers: which one loses nothing?

Several producer processes publish numbered messages while several consumer processes take
and acknowledge them, all on one broker under a temporary directory. Reports per broker:
messages published, consumed once, lost, consumed twice, errors, and the rate. The baseline
is kombu's filesystem transport (the old embedded broker), measured in the same run.

    .venv/bin/python bench/embedded_broker.py [--producers 4] [--consumers 2] [--messages 500]
"""

import argparse
import json
import multiprocessing as mp
import sys
import tempfile
import time
from pathlib import Path
from queue import Empty

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kombu import Connection, Exchange, Queue

QUEUE = "bench"
# About the size of a Celery task message (headers, body, properties as JSON).
PADDING = "x" * 1500


def broker_kwargs(kind: str, folder: str) -> dict:
    if kind == "filesystem":
        options = {"data_folder_in": folder, "data_folder_out": folder, "polling_interval": 0.01}
        return {"hostname": "filesystem://", "transport_options": options}
    return {
        "hostname": f"sqlite:///{folder}/broker.sqlite3",
        "transport": "helpdesk.broker:Transport",
        "transport_options": {"polling_interval": 0.01},
    }


def produce(kind, folder, start, count, errors):
    queue = Queue(QUEUE, Exchange(QUEUE), QUEUE)
    with Connection(**broker_kwargs(kind, folder)) as conn:
        producer = conn.Producer()
        for number in range(start, start + count):
            try:
                producer.publish(
                    {"n": number, "pad": PADDING},
                    exchange=queue.exchange,
                    routing_key=QUEUE,
                    declare=[queue],
                    serializer="json",
                )
            except Exception as error:
                errors.put(f"publish: {type(error).__name__}")


def consume(kind, folder, received, errors, stop):
    queue = Queue(QUEUE, Exchange(QUEUE), QUEUE)
    with Connection(**broker_kwargs(kind, folder)) as conn:
        simple = conn.SimpleQueue(queue)
        while not stop.is_set():
            try:
                message = simple.get(timeout=0.2)
            except Empty:
                continue
            except Exception as error:
                errors.put(f"get: {type(error).__name__}: {error}"[:200])
                continue
            received.put(message.payload["n"])
            message.ack()


def run(kind: str, producers: int, consumers: int, messages: int) -> dict:
    folder = tempfile.mkdtemp(prefix=f"broker-{kind}-")
    received, errors, stop = mp.Queue(), mp.Queue(), mp.Event()
    takers = [
        mp.Process(target=consume, args=(kind, folder, received, errors, stop))
        for _ in range(consumers)
    ]
    makers = [
        mp.Process(target=produce, args=(kind, folder, i * messages, messages, errors))
        for i in range(producers)
    ]
    started = time.perf_counter()
    for process in takers + makers:
        process.start()
    for process in makers:
        process.join()
    total = producers * messages
    seen: list[int] = []
    deadline = time.monotonic() + 60
    while len(seen) < total and time.monotonic() < deadline:
        try:
            seen.append(received.get(timeout=2))
        except Empty:
            if all(not p.is_alive() for p in takers):
                break
            if len(seen) and time.monotonic() > deadline - 50:
                break
    elapsed = time.perf_counter() - started
    stop.set()
    for process in takers:
        process.join(timeout=5)
        if process.is_alive():
            process.kill()
    problems = []
    while not errors.empty():
        problems.append(errors.get())
    unique = set(seen)
    return {
        "broker": kind,
        "published": total,
        "consumed": len(unique),
        "lost": total - len(unique),
        "twice": len(seen) - len(unique),
        "errors": len(problems),
        "first_error": problems[0] if problems else "",
        "messages_per_s": round(len(unique) / elapsed, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--producers", type=int, default=4)
    parser.add_argument("--consumers", type=int, default=2)
    parser.add_argument("--messages", type=int, default=500, help="per producer")
    args = parser.parse_args()
    results = [
        run(kind, args.producers, args.consumers, args.messages)
        for kind in ("filesystem", "sqlite")
    ]
    for result in results:
        print(json.dumps(result, ensure_ascii=False))
    base, new = results
    if base["messages_per_s"]:
        print(f"sqlite / filesystem rate: {new['messages_per_s'] / base['messages_per_s']:.2f}x")


if __name__ == "__main__":
    main()
