"""Encrypted files that no attachment row names (an upload whose transaction rolled back, a restore of an older
database) are swept once they are a day old; a young one may belong to a request still running."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from perisai.core import attachments
from perisai.core.models import Attachment
from perisai.core.services import ORPHAN_GRACE, attachments_prune_orphans

pytestmark = pytest.mark.django_db


def owned(storage_name: str) -> Attachment:
    return Attachment.objects.create(
        owner_type="reports.report", owner_id="x", original_name="a.jpg", content_type="image/jpeg",
        extension="jpg", size=3, storage_name=storage_name,
    )  # fmt: skip


def test_only_old_files_without_a_row_are_deleted():
    kept, orphan, young = (attachments.write_encrypted(b"abc") for _ in range(3))
    owned(kept)
    # The clock is the files' own (the test may run on a frozen day): "now" is a moment after they were written.
    written = max(attachments.modified_at(name) for name in (kept, orphan, young))
    later = written + ORPHAN_GRACE + dt.timedelta(minutes=1)

    assert attachments_prune_orphans(now=written + dt.timedelta(hours=1)) == 0
    assert attachments_prune_orphans(now=later) == 2
    assert set(attachments.iter_names()) == {kept}
    assert attachments.read_decrypted(kept) == b"abc"


def test_the_command_reports_the_count(capsys):
    attachments.write_encrypted(b"abc")
    call_command("prune_attachments")
    assert "berkas lampiran tanpa pemilik dihapus" in capsys.readouterr().out
