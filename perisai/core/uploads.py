"""Uploads are held in memory and bounded while they arrive: nothing of an upload is ever written to disk in clear.

Django's default spools a file over FILE_UPLOAD_MAX_MEMORY_SIZE to /tmp as it arrives, so a 60 MB photo of a
child sat unencrypted on disk before it was refused (issue 15). Here each file is counted byte by byte and dropped
the moment it passes the attachment limit; a request whose declared Content-Length is more than the form can
carry keeps its text fields (nothing typed is lost) but none of its files. A dropped file reaches the form as a
`RefusedUpload` that says why, so the sender is told in Indonesian next to the field or on the receipt.
"""

from __future__ import annotations

import io

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.utils.translation import gettext as _

from perisai.core.attachments import display_name, max_bytes

FORM_FIELDS_ALLOWANCE = 1024 * 1024  # the text of a form around its files


def request_limit() -> int:
    """The most a request can carry: every allowed file at its largest, and the form's text."""
    return settings.PERISAI_ATTACHMENT_MAX_FILES * max_bytes() + FORM_FIELDS_ALLOWANCE


class RefusedUpload(InMemoryUploadedFile):
    """A file that was not kept: no content, its real size so far, and why, which every check that reads an upload
    (core.attachments.check_upload, the forms) turns into the message beside the field or on the receipt."""

    def __init__(self, *, refusal: str, **kwargs):
        super().__init__(file=io.BytesIO(), **kwargs)
        self.refusal = refusal


class BoundedMemoryUploadHandler(FileUploadHandler):
    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.whole_request_too_large = content_length > request_limit()
        return None  # the multipart parser reads the fields; files come through the methods below

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.buffer, self.refusal = io.BytesIO(), ""
        if self.whole_request_too_large:
            self.refusal = _("Berkas %(name)s tidak diterima: lampiran seluruhnya lebih dari %(mb)s MB.") % {
                "name": display_name(self.file_name),
                "mb": request_limit() // (1024 * 1024),
            }

    def receive_data_chunk(self, raw_data, start):
        if not self.refusal and start + len(raw_data) > max_bytes():
            self.buffer = io.BytesIO()  # what was held goes at once; the rest is read and dropped
            self.refusal = _("Berkas %(name)s terlalu besar (maksimal %(mb)s MB).") % {
                "name": display_name(self.file_name),
                "mb": settings.PERISAI_ATTACHMENT_MAX_MB,
            }
        if not self.refusal:
            self.buffer.write(raw_data)
        return None

    def file_complete(self, file_size):
        details = {
            "field_name": self.field_name,
            "name": self.file_name,
            "content_type": self.content_type,
            "size": file_size,
            "charset": self.charset,
            "content_type_extra": self.content_type_extra,
        }
        if self.refusal:
            return RefusedUpload(refusal=self.refusal, **details)
        self.buffer.seek(0)
        return InMemoryUploadedFile(file=self.buffer, **details)
