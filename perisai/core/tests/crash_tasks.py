"""A task for the crash test (test_worker.py): its first run hangs until the worker is killed; a second run
finishes at once. Each run appends a line to the file it is given, so the test sees every attempt."""

import time
from pathlib import Path

from django.tasks import task


@task
def hang_on_first_run(marker: str) -> int:
    path = Path(marker)
    with path.open("a") as file:
        file.write("start\n")
    runs = path.read_text().count("start")
    if runs == 1:
        time.sleep(120)
    return runs
