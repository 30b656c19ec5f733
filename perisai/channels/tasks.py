"""Outbound messages are sent in the worker, after the commit that queued them, by id: no number or words in a
task's arguments (they are stored in the task table)."""

from __future__ import annotations

from django.tasks import task

from perisai.channels import services


@task
def send_outbound(outbound_id: int) -> bool:
    return services.outbound_send(outbound_id=outbound_id)
