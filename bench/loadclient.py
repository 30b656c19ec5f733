"""A small closed-loop HTTP load client: N threads, each sending one request after the other.

Plain threads + http.client instead of locust (the project's load tool): this benchmark needs one number
per endpoint from the same process that starts and stops the server, without a web UI, a second
process or extra dependencies, and with identical client cost for both endpoints. Only ever talks to
127.0.0.1.

Every loop is bounded twice: by a deadline and by a request cap per client.
"""

from __future__ import annotations

import http.client
import os
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

HOST = "127.0.0.1"
MAX_REQUESTS_PER_CLIENT = 1_000_000
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class PhaseResult:
    name: str
    clients: int
    seconds: float  # from the common start to the last completed request
    ok: int = 0
    latencies: list[float] = field(default_factory=list)  # seconds, successful requests only
    errors: Counter = field(default_factory=Counter)  # "HTTP 429", "ConnectionResetError", ...
    client_cpu: float = 0.0  # CPU seconds this process (the load client) used
    worker_cpu: float = 0.0  # CPU seconds the gunicorn workers used
    machine_busy: float = 0.0  # share of all cores busy during the phase (0..1), any process

    @property
    def rate(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    def merge(self, other: PhaseResult) -> PhaseResult:
        merged = PhaseResult(self.name, self.clients, self.seconds + other.seconds)
        merged.ok = self.ok + other.ok
        merged.latencies = self.latencies + other.latencies
        merged.errors = self.errors + other.errors
        merged.client_cpu = self.client_cpu + other.client_cpu
        merged.worker_cpu = self.worker_cpu + other.worker_cpu
        total = self.seconds + other.seconds
        merged.machine_busy = (self.machine_busy * self.seconds + other.machine_busy * other.seconds) / total
        return merged


def process_cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of the given processes, from /proc (Linux)."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue  # a worker that was restarted: its CPU is lost, which the caller can see as an error
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / CLOCK_TICKS


def machine_cpu_times() -> tuple[int, int]:
    """(busy, total) jiffies over all cores since boot."""
    with open("/proc/stat", encoding="ascii") as handle:
        values = [int(v) for v in handle.readline().split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return sum(values) - idle, sum(values)


def run_phase(
    name: str,
    *,
    port: int,
    path: str,
    make_body: Callable[[int], bytes],
    expect: int,
    clients: int,
    seconds: float,
    worker_pids: Callable[[], list[int]],
    timeout: float = 30.0,
) -> PhaseResult:
    """POST to `path` from `clients` threads for `seconds`; `make_body(client_index)` gives each body."""
    barrier = threading.Barrier(clients + 1)
    lock = threading.Lock()
    result = PhaseResult(name, clients, seconds)
    finished: list[float] = []
    start_at: list[float] = []

    def client(index: int) -> None:
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "User-Agent": "perisai-bench/1",
            # One device id per simulated phone, as the form's GET would have set it.
            "Cookie": f"perisai_perangkat=bench-device-{index:03d}",
        }
        connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
        latencies: list[float] = []
        errors: Counter = Counter()
        last = 0.0
        barrier.wait()
        deadline = start_at[0] + seconds
        for _ in range(MAX_REQUESTS_PER_CLIENT):
            if time.perf_counter() >= deadline:
                break
            body = make_body(index)
            began = time.perf_counter()
            try:
                # HTTP/1.1 keep-alive; gunicorn's sync workers close after each response, and http.client
                # then reconnects for the next request by itself.
                connection.request("POST", path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as exc:
                errors[type(exc).__name__] += 1
                connection.close()
                continue
            finally:
                last = time.perf_counter()
            if status == expect:
                latencies.append(last - began)
            else:
                errors[f"HTTP {status}"] += 1
        connection.close()
        with lock:
            result.ok += len(latencies)
            result.latencies.extend(latencies)
            result.errors.update(errors)
            finished.append(last)

    threads = [
        threading.Thread(target=client, args=(i,), name=f"bench-client-{i}", daemon=True) for i in range(clients)
    ]
    for thread in threads:
        thread.start()
    pids = worker_pids()
    cpu_before, client_before, machine_before = process_cpu_seconds(pids), time.process_time(), machine_cpu_times()
    start_at.append(time.perf_counter())
    barrier.wait()
    for thread in threads:
        thread.join(timeout=seconds + timeout + 30)
    if any(thread.is_alive() for thread in threads):
        raise RuntimeError(f"{name}: a client thread did not finish")
    machine_after = machine_cpu_times()
    result.worker_cpu = process_cpu_seconds(pids) - cpu_before
    result.client_cpu = time.process_time() - client_before
    result.seconds = max(finished) - start_at[0]
    busy, total = machine_after[0] - machine_before[0], machine_after[1] - machine_before[1]
    result.machine_busy = busy / total if total else 0.0
    return result
