"""How the benches time a piece of work: the median of several runs, so that one slow run on
the shared machine does not decide the figure."""

import statistics
import time


def median_seconds(function, runs: int, *, warm_up: bool = False) -> float:
    """The median wall time of ``runs`` calls of ``function``. ``warm_up`` makes one untimed
    call first (caches, connections)."""
    if warm_up:
        function()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)
