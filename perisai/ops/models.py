"""What the scheduler ran: one row per job and due time. The unique pair is the claim: with two app servers each
running a scheduler, a job's run happens once."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class JobRun(models.Model):
    job = models.CharField(max_length=40)
    due_at = models.DateTimeField()
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    ok = models.BooleanField(null=True)  # None while it runs (or if its process died: the tasks page shows it)
    # A count or a short reason: never personal data (a job's output is figures and codes).
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-due_at"]
        constraints = [models.UniqueConstraint(fields=["job", "due_at"], name="ops_jobrun_once")]
        indexes = [models.Index(fields=["job", "-due_at"], name="ops_jobrun_latest_idx")]

    def __str__(self) -> str:
        return f"{self.job} @ {self.due_at:%Y-%m-%d %H:%M}"
