"""Encrypted file storage for attachments: checked from their bytes, stripped of metadata (images re-encoded,
PDF and audio cleaned by core.cleaning).

Files never sit under a public URL. They are stored encrypted (the same keys as encrypted fields) under
random names, in MEDIA_ROOT or a private S3-compatible bucket (the "attachments" storage), and served only by
core.views.attachment_download after the owner's access policy agreed.
"""

from __future__ import annotations

import contextlib
import io
import math
import os
import secrets
import shutil
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import BinaryIO

import filetype
from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from perisai.core import cleaning, crypto

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
# What decoding may cost, bounded before any pixel is decoded (the size is in the file's header). Five 154 KB PNGs
# of 6000x6600 held a worker 31 s at 684 MB (issue 15). A JPEG is decoded at a reduced scale straight from its
# DCT blocks (draft mode), so even a 50-megapixel phone photo costs about what a 12-megapixel one does; PNG and
# WebP have no such mode and are what screenshots come as (a phone screen is 2-4 megapixels), so they get less.
MAX_PIXELS = {"image/jpeg": 50_000_000, "image/png": 12_000_000, "image/webp": 8_000_000}
# A progressive or CMYK JPEG cannot be decoded at a reduced scale without holding every coefficient: 50 MP of it
# took 386-482 MB (the review of issue 15), so it gets the PNG's limit.
MAX_PIXELS_PROGRESSIVE_JPEG = 12_000_000
Image.MAX_IMAGE_PIXELS = max(MAX_PIXELS.values())  # Pillow's own bomb check, as a second line
# The long side of a stored photo: a 12-megapixel phone photo (4032 px) is kept whole; larger ones are scaled.
MAX_SIDE = 4096


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


def check_upload(name: str, size: int, chunks, refusal: str = "") -> CheckedFile:
    """Read an upload (refusing oversized ones before reading), check its type, strip image metadata.
    `refusal`: the upload handler already dropped the file (core.uploads) and says why."""
    if refusal:
        raise AttachmentRejected(refusal)
    if size > max_bytes():
        raise AttachmentRejected(
            _("Berkas %(name)s terlalu besar (maksimal %(mb)s MB).")
            % {"name": display_name(name), "mb": settings.PERISAI_ATTACHMENT_MAX_MB}
        )
    data = b"".join(chunks)
    if len(data) > max_bytes():
        raise AttachmentRejected(_("Berkas terlalu besar."))
    kind = filetype.guess(data)
    content_type = kind.mime if kind else ""
    if content_type not in ALLOWED:
        raise AttachmentRejected(
            _("Jenis berkas %(name)s tidak diterima. Kirim foto (JPG/PNG), rekaman suara, atau PDF.")
            % {"name": display_name(name)}
        )
    extension = PurePath(name).suffix.lower().lstrip(".")
    if extension not in ALLOWED[content_type]:
        raise AttachmentRejected(
            _("Isi berkas %(name)s tidak sesuai dengan namanya (.%(ext)s).")
            % {"name": display_name(name), "ext": extension or "?"}
        )
    if content_type in IMAGE_FORMATS:
        return CheckedFile(_reencode_image(data, content_type), content_type, extension, True)
    try:
        return CheckedFile(cleaning.clean(data, content_type), content_type, extension, True)
    except cleaning.CannotClean as error:
        raise AttachmentRejected(_cleaning_refusal(error.code, name)) from error


def _cleaning_refusal(code: str, name: str) -> str:
    messages = {
        cleaning.PDF_LOCKED: _("PDF yang dikunci dengan sandi tidak dapat diterima."),
        cleaning.PDF_UNREADABLE: _("PDF tidak dapat dibaca."),
        cleaning.PDF_TOO_COMPLEX: _(
            "PDF %(name)s terlalu rumit untuk diperiksa. Kirim hasil pindaian atau foto suratnya."
        ),
        cleaning.AUDIO_UNREADABLE: _("Rekaman suara tidak dapat dibaca."),
        cleaning.AUDIO_TAGS: _("Data di dalam rekaman suara ini tidak dapat dihapus. Kirim rekaman WhatsApp atau MP3."),
        cleaning.AUDIO_TOO_COMPLEX: _(
            "Rekaman %(name)s terlalu rumit untuk diperiksa. Kirim rekaman WhatsApp atau MP3."
        ),
    }
    return messages.get(code, messages[cleaning.PDF_UNREADABLE]) % {"name": display_name(name)}


def display_name(name: str) -> str:
    return PurePath(name).name[:60]


def _reencode_image(data: bytes, content_type: str) -> bytes:
    """Decode and re-encode the pixels only: EXIF (GPS position, phone model, time) and any other
    metadata do not survive, so a photo cannot reveal where the reporter stood."""
    unreadable = _("Foto tidak dapat dibaca. Coba kirim ulang dalam format JPG.")
    too_large = _("Foto terlalu besar (%(mp)s megapiksel; paling besar %(max)s). Kirim foto biasa dari kamera.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            try:
                opened = Image.open(io.BytesIO(data))
            except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
                limit = MAX_PIXELS[content_type] // 1_000_000
                raise AttachmentRejected(too_large % {"mp": "> 100", "max": limit}) from error
            with opened as image:
                width, height = image.size
                limit = MAX_PIXELS[content_type]
                if content_type == "image/jpeg" and (image.info.get("progressive") or image.mode == "CMYK"):
                    limit = MAX_PIXELS_PROGRESSIVE_JPEG
                if width * height > limit:
                    raise AttachmentRejected(too_large % {"mp": round(width * height / 1e6), "max": limit // 1_000_000})
                if content_type == "image/jpeg" and max(width, height) > MAX_SIDE:
                    # Decode at the 1/2, 1/4 or 1/8 scale that leaves the long side between MAX_SIDE / 2 and
                    # MAX_SIDE (DCT scaling comes in powers of two): never a full decode of a large photo.
                    scale = MAX_SIDE / 2 / max(width, height)
                    image.draft(image.mode, (math.ceil(width * scale), math.ceil(height * scale)))
                image.load()
                return _write_clean(image, content_type)
    except AttachmentRejected:
        raise
    except (OSError, ValueError, Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise AttachmentRejected(unreadable) from error


def _write_clean(image: Image.Image, content_type: str) -> bytes:
    # The right way up without its EXIF, turned in place (at 12 megapixels each copy is 36-48 MB of a worker).
    ImageOps.exif_transpose(image, in_place=True)
    if max(image.size) > MAX_SIDE:
        image.thumbnail((MAX_SIDE, MAX_SIDE))
    if content_type == "image/jpeg" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    elif image.mode == "P":
        image = image.convert("RGBA")
    # Nothing but pixels is written back: the info dictionary (EXIF with the GPS position, XMP, ICC, text chunks)
    # is emptied and no metadata is passed to the encoder, without copying the pixels to drop it.
    image.info = {}
    out = io.BytesIO()
    # PNG at zlib level 1: a fraction of the default's time for a slightly larger file (it is then encrypted and
    # stored, never sent over a phone line).
    options = {"compress_level": 1} if content_type == "image/png" else {"quality": 90}
    image.save(out, format=IMAGE_FORMATS[content_type], exif=b"", **options)
    return out.getvalue()


# Where the files live is known here only: the "attachments" storage of settings.STORAGES, which is MEDIA_ROOT on
# this machine (files under attachments/<first two letters>/<name>) or a private S3-compatible bucket shared by
# several app servers (the same keys, under an optional prefix). Either way it only ever holds Fernet tokens under
# random names: the bytes are encrypted before they leave this process, and the keys are never stored there.
FOLDER = "attachments"
# Temporary names while a local file is replaced (never a storage name: those are letters and digits only).
REPLACING_SUFFIX = ".replacing"


def _storage() -> Storage:
    return storages["attachments"]


def _local(storage: Storage) -> bool:
    return isinstance(storage, FileSystemStorage)


def stored_path(storage_name: str) -> str:
    """Where a file sits inside the storage: its path under MEDIA_ROOT, its key in a bucket, and its place under
    media/ in a backup archive."""
    if not storage_name.isalnum() or not storage_name.isascii():
        raise ValueError("bad storage name")
    return f"{FOLDER}/{storage_name[:2]}/{storage_name}"


def write_encrypted(data: bytes) -> str:
    """Store ciphertext under a random name; returns that name (the only link from the database)."""
    name = secrets.token_hex(16)
    path = stored_path(name)
    saved = _storage().save(path, ContentFile(crypto.encrypt(data)))
    if saved != path:  # the storage chose another name for a taken one: 128 random bits make this unreachable
        _storage().delete(saved)
        raise FileExistsError("attachment name taken")
    return name


def read_ciphertext(storage_name: str) -> bytes:
    with _storage().open(stored_path(storage_name), "rb") as stored:
        return stored.read()


def read_decrypted(storage_name: str) -> bytes:
    return crypto.decrypt(read_ciphertext(storage_name))


def delete(storage_name: str) -> None:
    """Remove one file; nothing happens if it is already gone."""
    _storage().delete(stored_path(storage_name))


def replace_ciphertext(storage_name: str, token: bytes) -> None:
    """Put a new token in place of a file (key rotation) in one step: a reader, or a crash half-way, finds the
    old file or the new one, never a mix."""
    storage = _storage()
    path = stored_path(storage_name)
    if _local(storage):
        target = Path(storage.path(path))
        temporary = target.with_name(target.name + REPLACING_SUFFIX)
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as out:
            out.write(token)
        temporary.replace(target)  # atomic on POSIX
    else:
        # One PUT replaces an object whole. Storage.save() would pick another name for a taken one (the bucket is
        # configured with file_overwrite=False, so no other write can replace a file); _save is the backend's own
        # upload under that choice.
        storage._save(path, ContentFile(token))


def _all_paths(storage: Storage, folder: str = FOLDER) -> Iterator[str]:
    """Every file under `folder` of the storage, whatever its name (a backup copies them all)."""
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:  # nothing stored yet
        return
    for name in sorted(files):
        yield f"{folder}/{name}"
    for directory in sorted(directories):
        yield from _all_paths(storage, f"{folder}/{directory}")


def iter_names() -> Iterator[str]:
    """The storage names of the files there are, with or without an attachment row."""
    for path in _all_paths(_storage()):
        parts = path.split("/")
        if len(parts) == 3 and parts[2].isalnum() and parts[2].isascii() and parts[1] == parts[2][:2]:
            yield parts[2]


def modified_at(storage_name: str):
    """When the file was last written (aware datetime), from the file system or the bucket's listing."""
    return _storage().get_modified_time(stored_path(storage_name))


# --- Backup and restore (perisai/ops): the files as they are stored, encrypted ---------------------------------


def stored_files() -> Iterator[str]:
    """Every file of the storage, by its path there (see stored_path); for open_stored."""
    return _all_paths(_storage())


@contextlib.contextmanager
def open_stored(path: str) -> Iterator[tuple[BinaryIO, int]]:
    """One stored file as it is (ciphertext) and its size; FileNotFoundError if it is gone meanwhile."""
    storage = _storage()
    if _local(storage):
        with open(storage.path(path), "rb") as source:  # the size of what was opened, even if replaced since
            yield source, os.fstat(source.fileno()).st_size
        return
    # An object is fetched whole (at most PERISAI_ATTACHMENT_MAX_MB, encrypted), so its size and bytes agree.
    try:
        with storage.open(path, "rb") as source:
            data = source.read()
    except Exception:
        if storage.exists(path):
            raise
        raise FileNotFoundError(path) from None  # deleted since the listing (retention): nothing to keep
    yield io.BytesIO(data), len(data)


def replace_all(folder: Path) -> None:
    """Make the storage hold exactly the files under `folder` (laid out as FOLDER is), for a restore: moved there
    on this machine, uploaded to a bucket (and whatever the bucket holds besides them deleted)."""
    storage = _storage()
    if _local(storage):
        root = Path(storage.path(FOLDER))
        if root.is_dir() and not root.is_symlink():
            shutil.rmtree(root)
        elif root.exists() or root.is_symlink():
            root.unlink()
        if folder.is_dir():
            root.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            shutil.move(folder, root)
        return
    incoming = (
        {f"{FOLDER}/{path.relative_to(folder).as_posix()}": path for path in folder.rglob("*") if path.is_file()}
        if folder.is_dir()
        else {}
    )
    for path in list(_all_paths(storage)):
        if path not in incoming:
            storage.delete(path)
    for path, source in sorted(incoming.items()):
        with source.open("rb") as content:
            storage._save(path, File(content))  # replaces an object of that name (see replace_ciphertext)
