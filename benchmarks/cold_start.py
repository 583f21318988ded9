"""Cold start: from `mocksnap serve` being launched to its first answered request (target < 0.5 s).

Prints the figures; asserts nothing, since this machine is shared and timings are noisy.
"""

from __future__ import annotations

import http.client
import statistics
import subprocess
import sys
import time

from mocksnap.testing import free_port

TARGET_SECONDS = 0.5
RUNS = 7


def first_answer(port: int, deadline: float) -> float:
    while time.perf_counter() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/__admin/health")
            if connection.getresponse().status == 200:
                return time.perf_counter()
        except OSError:
            time.sleep(0.002)
    raise TimeoutError("the server did not answer within 10 s")


def one_run() -> float:
    port = free_port()
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "mocksnap", "serve", "--port", str(port), "--no-access-log"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        return first_answer(port, started + 10) - started
    finally:
        process.terminate()
        process.wait(10)


def main() -> None:
    one_run()  # warm the file system cache and the bytecode cache
    times = sorted(one_run() for _ in range(RUNS))
    median = statistics.median(times)
    print(f"cold start to first answered request, {RUNS} runs:")
    print(f"  median {median * 1000:.0f} ms   min {times[0] * 1000:.0f} ms   max {times[-1] * 1000:.0f} ms")
    verdict = "meets" if median < TARGET_SECONDS else "MISSES"
    ratio = median / TARGET_SECONDS
    print(f"  target < {TARGET_SECONDS * 1000:.0f} ms: {verdict} it (median / target = {ratio:.2f})")


if __name__ == "__main__":
    main()
