"""Costly images against /lapor/ under gunicorn (issue 15, item 1): time to the receipt and the worker's peak memory.

    .venv/bin/python bench/attack_images.py [--rounds N]

A fresh SQLite database, gunicorn (bench.wsgi, 2 sync workers, production-like: DEBUG off), then one report at a
time with five attachments of each kind below, against the same report without attachments (the baseline, in
the same run). Kinds: the attack (five 154 KB PNGs of 6000x6600 RGBA) and the largest inputs still accepted
(PNG 12 MP, WebP 8 MP, JPEG 50 MP, a 12 MP phone JPEG). Prints seconds to the receipt, the ratio to the
baseline, and each worker's peak resident memory (VmHWM from /proc) after that kind. See docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import http.client
import io
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import synthetic  # noqa: E402
from bench.report_submit import Gunicorn, bench_env, free_port, prepare_database  # noqa: E402
from bench.runinfo import source_state  # noqa: E402


def image(size: tuple[int, int], mode: str, fmt: str) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new(mode, size, (120, 30, 200) if mode == "RGB" else (120, 30, 200, 255)).save(out, fmt)
    return out.getvalue()


KINDS = {
    "none": None,
    "attack PNG 6000x6600 RGBA": ((6000, 6600), "RGBA", "PNG", "png"),
    "PNG 4000x3000 RGBA (12 MP)": ((4000, 3000), "RGBA", "PNG", "png"),
    "WebP 3264x2448 RGBA (8 MP)": ((3264, 2448), "RGBA", "WEBP", "webp"),
    "JPEG 8660x5773 (50 MP)": ((8660, 5773), "RGB", "JPEG", "jpg"),
    "JPEG 4032x3024 (12 MP phone)": ((4032, 3024), "RGB", "JPEG", "jpg"),
}


def multipart(fields: list[tuple[str, str]], files: list[tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for filename, data in files:
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="attachments"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        )
        parts.append(head.encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def peak_memory_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def post(port: int, body: bytes, content_type: str) -> tuple[int, float, bool]:
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    connection.request("POST", "/lapor/", body=body, headers={"Content-Type": content_type})
    response = connection.getresponse()
    page = response.read()
    connection.close()
    return response.status, time.perf_counter() - started, b"receipt-codes" in page


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    var_dir = Path(tempfile.mkdtemp(prefix="perisai-bench-images-"))
    env = bench_env(var_dir=var_dir, database_url=f"sqlite:///{var_dir / 'perisai.sqlite3'}", conn_max_age=None)
    os.environ.update(env)
    prepare_database(0, 1)
    payloads = {
        kind: [] if spec is None else [(f"lampiran{i}.{spec[3]}", image(*spec[:3])) for i in range(5)]
        for kind, spec in KINDS.items()
    }
    server = Gunicorn(env=env, port=free_port(), workers=2, log_path=var_dir / "gunicorn.log")
    regions = synthetic.load_regions()
    rng = synthetic._rng(1)
    rows = []
    try:
        server.start()
        server.wait_ready()
        for kind, files in payloads.items():
            times, receipts = [], 0
            for round_number in range(args.rounds):
                fields = synthetic.form_fields(rng, round_number, regions)
                body, content_type = multipart(fields, files)
                status, seconds, receipt = post(server.port, body, content_type)
                times.append(seconds)
                receipts += receipt and status in (200, 201)
            peaks = [peak_memory_mb(pid) for pid in server.worker_pids()]
            size_kb = sum(len(data) for _name, data in files) / 1024
            rows.append((kind, size_kb, max(times), sorted(times)[len(times) // 2], receipts, max(peaks)))
    finally:
        server.stop()
    baseline = rows[0][3]
    print(f"# Costly images ({source_state()}; {args.rounds} rounds each, 2 sync workers, SQLite)")
    header = f"{'five attachments':32} {'KB sent':>8} {'median s':>9} {'max s':>7} {'x none':>7}"
    print(f"{header} {'receipts':>9} {'peak MB':>8}")
    for kind, size_kb, worst, median, receipts, peak in rows:
        print(
            f"{kind:32} {size_kb:8.0f} {median:9.2f} {worst:7.2f} {median / baseline:7.1f} "
            f"{receipts:>4}/{args.rounds:<4} {peak:8.0f}"
        )
    print("peak MB: the larger worker's VmHWM after that kind (a worker's peak never goes down)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
