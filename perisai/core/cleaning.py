"""Metadata and active content removed from PDF and audio attachments (images: core.attachments re-encodes them).

A voice note from a phone can carry where it was recorded (an MP4 `©xyz` atom), a PDF the name of whoever wrote
it (`/Author`) and a script that runs when it is opened (`/OpenAction`). Attachments are forwarded to partner
agencies, so what is stored is what a perpetrator working there could read (issue 15). What cannot be cleaned
is refused with a reason (`CannotClean`).

Containers are edited in place where the format allows it: a metadata box or chunk is renamed to a free/JUNK
one of the same size and its bytes zeroed, so no offset inside the file moves and the recording still plays.
"""

from __future__ import annotations

import io
import struct

import mutagen
import mutagen.apev2
import mutagen.id3
import pikepdf
from django.utils.translation import gettext as _
from mutagen.mp4 import Atoms


class CannotClean(Exception):
    """The file's metadata cannot be removed with certainty; the message says why, in plain Indonesian."""


# --- PDF ---------------------------------------------------------------------------------------------------------

# Keys that make a PDF do something when opened or clicked, or that carry other files or metadata.
ACTIVE_KEYS = ("/OpenAction", "/AA", "/JS", "/JavaScript", "/Launch", "/EmbeddedFiles", "/XFA", "/Metadata")
ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToR", "/GoToE", "/URI", "/Rendition"}


def clean_pdf(data: bytes) -> bytes:
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            if "/Info" in pdf.trailer:
                del pdf.trailer["/Info"]
            _strip(pdf.Root, set())
            for page in pdf.pages:
                _strip(page.obj, set())
            out = io.BytesIO()
            pdf.save(out, deterministic_id=True)
            return out.getvalue()
    except pikepdf.PasswordError as error:
        raise CannotClean(_("PDF yang dikunci dengan sandi tidak dapat diterima.")) from error
    except (pikepdf.PdfError, ValueError, RecursionError) as error:
        raise CannotClean(_("PDF tidak dapat dibaca.")) from error


def _strip(node, seen: set) -> None:
    """Depth-first over dictionaries and arrays, every indirect object once."""
    if isinstance(node, pikepdf.Object) and node.is_indirect:
        if node.objgen in seen:
            return
        seen.add(node.objgen)
    if isinstance(node, pikepdf.Dictionary | pikepdf.Stream):
        for key in ACTIVE_KEYS:
            if key in node:
                del node[key]
        if node.get("/S") in ACTIVE_ACTIONS:  # an action dictionary: leave it a harmless "do nothing"
            for key in list(node.keys()):
                if key != "/Type":
                    del node[key]
        for key in list(node.keys()):
            if key not in ("/Parent", "/P"):  # back-links to the page tree: walked from the top already
                _strip(node[key], seen)
    elif isinstance(node, pikepdf.Array):
        for item in node:
            _strip(item, seen)


# --- Audio -------------------------------------------------------------------------------------------------------

MP4_METADATA = {b"udta", b"meta", b"uuid", b"loci", b"\xa9xyz", b"Xtra"}
RIFF_METADATA = {b"LIST", b"id3 ", b"ID3 ", b"bext", b"iXML", b"_PMX", b"XMP ", b"axml"}


def clean_audio(data: bytes, content_type: str) -> bytes:
    buffer = io.BytesIO(data)
    try:
        if content_type == "audio/mp4":
            _free_mp4_metadata(buffer)
        elif content_type == "audio/x-wav":
            _junk_riff_metadata(buffer)
        elif content_type == "audio/ogg":
            audio = mutagen.File(buffer)
            if audio is None:
                raise CannotClean(_("Rekaman suara tidak dapat dibaca."))
            audio.delete(buffer)
        # ID3 and APE tags can precede or follow any MPEG or AAC stream.
        buffer.seek(0)
        mutagen.id3.delete(buffer)
        buffer.seek(0)
        mutagen.apev2.delete(buffer)
        cleaned = buffer.getvalue()
        _assert_no_tags(cleaned, content_type)
        return cleaned
    except CannotClean:
        raise
    except (mutagen.MutagenError, struct.error, ValueError, IndexError, KeyError) as error:
        raise CannotClean(_("Rekaman suara tidak dapat dibaca.")) from error


def _free_mp4_metadata(buffer: io.BytesIO) -> None:
    buffer.seek(0)
    atoms = Atoms(buffer)
    with buffer.getbuffer() as data:
        pending = list(atoms.atoms)
        while pending:
            atom = pending.pop()
            if atom.name not in MP4_METADATA:
                pending.extend(atom.children or ())
                continue
            header = 16 if struct.unpack(">I", data[atom.offset : atom.offset + 4])[0] == 1 else 8
            data[atom.offset + 4 : atom.offset + 8] = b"free"
            data[atom.offset + header : atom.offset + atom.length] = bytes(atom.length - header)


def _junk_riff_metadata(buffer: io.BytesIO) -> None:
    with buffer.getbuffer() as data:
        if bytes(data[0:4]) != b"RIFF" or bytes(data[8:12]) != b"WAVE":
            raise CannotClean(_("Rekaman suara tidak dapat dibaca."))
        position = 12
        while position + 8 <= len(data):
            chunk = bytes(data[position : position + 4])
            size = struct.unpack("<I", data[position + 4 : position + 8])[0]
            end = position + 8 + size
            if end > len(data):
                break
            if chunk in RIFF_METADATA:
                data[position : position + 4] = b"JUNK"
                data[position + 8 : end] = bytes(size)
            position = end + (size & 1)


def _assert_no_tags(data: bytes, content_type: str) -> None:
    """Open the result again: it must still be audio, and carry no tags."""
    audio = mutagen.File(io.BytesIO(data))
    if content_type in ("audio/mp4", "audio/ogg") and audio is None:
        raise CannotClean(_("Rekaman suara tidak dapat dibaca."))
    if audio is not None and audio.tags:
        raise CannotClean(_("Data di dalam rekaman suara ini tidak dapat dihapus. Kirim rekaman WhatsApp atau MP3."))
