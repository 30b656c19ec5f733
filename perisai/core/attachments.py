"""Encrypted file storage for attachments: checked from their bytes, images stripped of metadata.

Files never sit under a public URL. They are stored encrypted (the same keys as encrypted fields) under
random names, and served only by core.views.attachment_download after the owner's access policy agreed.
"""

from __future__ import annotations

import io
import secrets
import warnings
from dataclasses import dataclass
from pathlib import Path, PurePath

import filetype
from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from perisai.core import crypto

# What people actually send: phone photos, voice notes, scanned letters. Extension must fit the bytes.
ALLOWED: dict[str, tuple[str, ...]] = {
    "image/jpeg": ("jpg", "jpeg"),
    "image/png": ("png",),
    "image/webp": ("webp",),
    "application/pdf": ("pdf",),
    "audio/mpeg": ("mp3",),
    "audio/ogg": ("ogg", "opus", "oga"),
    "audio/mp4": ("m4a", "mp4", "aac"),
    "audio/aac": ("aac",),
    "audio/amr": ("amr",),
    "audio/x-wav": ("wav",),
}
IMAGE_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
MAX_IMAGE_PIXELS = 40_000_000  # a 40-megapixel photo; larger is a decompression bomb, not evidence


class AttachmentRejected(ValueError):
    """The file cannot be accepted; the message says why in plain Indonesian."""


@dataclass(frozen=True)
class CheckedFile:
    data: bytes
    content_type: str
    extension: str
    metadata_removed: bool


def max_bytes() -> int:
    return settings.PERISAI_ATTACHMENT_MAX_MB * 1024 * 1024


def check_upload(name: str, size: int, chunks) -> CheckedFile:
    """Read an upload (refusing oversized ones before reading), check its type, strip image metadata."""
    if size > max_bytes():
        raise AttachmentRejected(
            _("Berkas %(name)s terlalu besar (maksimal %(mb)s MB).")
            % {"name": _display_name(name), "mb": settings.PERISAI_ATTACHMENT_MAX_MB}
        )
    data = b"".join(chunks)
    if len(data) > max_bytes():
        raise AttachmentRejected(_("Berkas terlalu besar."))
    kind = filetype.guess(data)
    content_type = kind.mime if kind else ""
    if content_type not in ALLOWED:
        raise AttachmentRejected(
            _("Jenis berkas %(name)s tidak diterima. Kirim foto (JPG/PNG), rekaman suara, atau PDF.")
            % {"name": _display_name(name)}
        )
    extension = PurePath(name).suffix.lower().lstrip(".")
    if extension not in ALLOWED[content_type]:
        raise AttachmentRejected(
            _("Isi berkas %(name)s tidak sesuai dengan namanya (.%(ext)s).")
            % {"name": _display_name(name), "ext": extension or "?"}
        )
    if content_type in IMAGE_FORMATS:
        return CheckedFile(_reencode_image(data, content_type), content_type, extension, True)
    return CheckedFile(data, content_type, extension, False)


def _display_name(name: str) -> str:
    return PurePath(name).name[:60]


def _reencode_image(data: bytes, content_type: str) -> bytes:
    """Decode and re-encode the pixels only: EXIF (GPS position, phone model, time) and any other
    metadata do not survive, so a photo cannot reveal where the reporter stood."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                upright = ImageOps.exif_transpose(image)  # keep the photo the right way up without its EXIF
        if content_type == "image/jpeg" and upright.mode not in ("RGB", "L"):
            upright = upright.convert("RGB")
        elif upright.mode == "P":
            upright = upright.convert("RGBA")
        # A new image from the raw pixels carries no info dictionary: nothing but pixels is written back.
        clean = Image.frombytes(upright.mode, upright.size, upright.tobytes())
        out = io.BytesIO()
        options = {} if content_type == "image/png" else {"quality": 90}
        clean.save(out, format=IMAGE_FORMATS[content_type], **options)
        return out.getvalue()
    except (OSError, ValueError, Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise AttachmentRejected(_("Foto tidak dapat dibaca. Coba kirim ulang dalam format JPG.")) from error


def _root() -> Path:
    return Path(settings.MEDIA_ROOT) / "attachments"


def write_encrypted(data: bytes) -> str:
    """Store ciphertext under a random name; returns that name (the only link from the database)."""
    name = secrets.token_hex(16)
    path = _root() / name[:2] / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(crypto.encrypt(data))
    return name


def read_decrypted(storage_name: str) -> bytes:
    return crypto.decrypt(path_of(storage_name).read_bytes())


def path_of(storage_name: str) -> Path:
    if not storage_name.isalnum():
        raise ValueError("bad storage name")
    return _root() / storage_name[:2] / storage_name


def all_paths():
    root = _root()
    return root.glob("*/*") if root.exists() else iter(())
