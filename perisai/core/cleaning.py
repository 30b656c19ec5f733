"""Metadata and active content removed from PDF and audio attachments (images: core.attachments re-encodes them).

A voice note from a phone can carry where it was recorded (an MP4 `©xyz` atom), a PDF the name of whoever wrote
it (`/Author`, a comment's author) and a script that runs when it is opened (`/OpenAction`). Attachments are
forwarded to partner agencies, so what is stored is what a perpetrator working there could read (issue 15). What
cannot be cleaned is refused with a reason (`CannotClean`, its code turned into Indonesian by core.attachments).

Containers are edited in place where the format allows it: a metadata box or chunk is renamed to a free/JUNK
one of the same size and its bytes zeroed, so no offset inside the file moves and the recording still plays.

Parsing a hostile file is the risky part: a 199 KB PDF can unpack to 100 MB, an M4A can hold a million atoms.
`clean()` therefore runs the work in a child process (`python -m perisai.core.cleaning KIND`, the file on stdin)
that limits its own memory and CPU before reading anything, and is killed after TIMEOUT_SECONDS; a worker serving
other people never parses the file itself.
"""

from __future__ import annotations

import io
import os
import resource
import struct
import subprocess
import sys

import mutagen
import mutagen.apev2
import mutagen.id3
import pikepdf
from mutagen.mp4 import Atoms

# Per file: what a legitimate 10 MB letter or voice note needs many times over.
MEMORY_BYTES = 640 * 1024 * 1024
CPU_SECONDS = 4
TIMEOUT_SECONDS = 8
EXIT_REFUSED = 3


class CannotClean(Exception):
    """The file's metadata cannot be removed with certainty; `code` says why (core.attachments words it)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


PDF_LOCKED, PDF_UNREADABLE, PDF_TOO_COMPLEX = "pdf_locked", "pdf_unreadable", "pdf_too_complex"
AUDIO_UNREADABLE, AUDIO_TAGS, AUDIO_TOO_COMPLEX = "audio_unreadable", "audio_tags", "audio_too_complex"


def clean(data: bytes, content_type: str) -> bytes:
    """Clean a PDF or audio file in a limited child process; CannotClean if it cannot be done in bounds."""
    too_complex = PDF_TOO_COMPLEX if content_type == "application/pdf" else AUDIO_TOO_COMPLEX
    try:
        done = subprocess.run(  # noqa: S603 - our own interpreter and module, no shell, no user input in argv
            [sys.executable, "-m", "perisai.core.cleaning", content_type],
            input=data,
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
            cwd=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
            env={"PATH": os.environ.get("PATH", ""), "PYTHONDONTWRITEBYTECODE": "1"},  # no secrets for the child
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise CannotClean(too_complex) from error
    if done.returncode == 0:
        return done.stdout
    if done.returncode == EXIT_REFUSED:
        raise CannotClean(done.stderr.decode(errors="replace").strip().splitlines()[-1])
    raise CannotClean(too_complex)  # killed by a limit (memory, CPU) or crashed


# --- PDF ---------------------------------------------------------------------------------------------------------

# Keys removed wherever they occur: what makes a PDF act when opened or clicked, carries other files, or names
# people and tools (XMP metadata, a comment's author, an application's private data).
REMOVED_KEYS = (
    "/OpenAction", "/AA", "/JS", "/JavaScript", "/Launch", "/EmbeddedFiles", "/EF", "/AF", "/FS", "/XFA",
    "/Metadata", "/PieceInfo", "/Annots", "/AcroForm", "/T", "/RC", "/Popup",
)  # fmt: skip
ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToR", "/GoToE", "/URI", "/Rendition"}
# JPEG segments kept inside a PDF's images: the ones a decoder needs (APP0 JFIF, APP14 Adobe colour transform).
JPEG_KEPT_APP = {0xE0, 0xEE}
MAX_OBJECTS = 200_000


def clean_pdf(data: bytes) -> bytes:
    """Document information, XMP, scripts and actions, annotations (comments with their authors, attached files,
    links), forms, embedded files, and the EXIF/comments inside JPEG images are removed; pages stay."""
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            if len(pdf.objects) > MAX_OBJECTS:
                raise CannotClean(PDF_TOO_COMPLEX)
            for key in list(pdf.trailer.keys()):
                if key not in ("/Root", "/Size"):  # the original /ID too: it can tie files to one device
                    del pdf.trailer[key]
            _strip(pdf.Root, set())
            for page in pdf.pages:
                _strip(page.obj, set())
            for obj in pdf.objects:
                if isinstance(obj, pikepdf.Stream) and obj.get("/Filter") == pikepdf.Name.DCTDecode:
                    obj.write(_jpeg_without_metadata(obj.read_raw_bytes()), filter=pikepdf.Name.DCTDecode)
            out = io.BytesIO()
            pdf.save(out, deterministic_id=True)
            return out.getvalue()
    except pikepdf.PasswordError as error:
        raise CannotClean(PDF_LOCKED) from error
    except (pikepdf.PdfError, ValueError, RecursionError) as error:
        raise CannotClean(PDF_UNREADABLE) from error


def _strip(node, seen: set) -> None:
    """Depth-first over dictionaries and arrays, every indirect object once."""
    if isinstance(node, pikepdf.Object) and node.is_indirect:
        if node.objgen in seen:
            return
        seen.add(node.objgen)
    if isinstance(node, pikepdf.Dictionary | pikepdf.Stream):
        for key in REMOVED_KEYS:
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


def _jpeg_without_metadata(jpeg: bytes) -> bytes:
    """The JPEG's segments up to the image data, less APP1-APP13, APP15 (EXIF with GPS, XMP, ICC, maker notes)
    and COM; the compressed image itself is copied unchanged."""
    if jpeg[:2] != b"\xff\xd8":
        return jpeg
    out, position = bytearray(b"\xff\xd8"), 2
    while position + 4 <= len(jpeg) and jpeg[position] == 0xFF:
        marker = jpeg[position + 1]
        if marker == 0xDA:  # start of scan: the rest is image data
            break
        length = struct.unpack(">H", jpeg[position + 2 : position + 4])[0]
        segment = jpeg[position : position + 2 + length]
        if not ((0xE0 <= marker <= 0xEF and marker not in JPEG_KEPT_APP) or marker == 0xFE):
            out += segment
        position += 2 + length
    return bytes(out + jpeg[position:])


# --- Audio -------------------------------------------------------------------------------------------------------

MP4_METADATA = {b"udta", b"meta", b"uuid", b"loci", b"\xa9xyz", b"Xtra"}
RIFF_METADATA = {b"LIST", b"id3 ", b"ID3 ", b"bext", b"iXML", b"_PMX", b"XMP ", b"axml", b"DISP", b"cart"}


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
                raise CannotClean(AUDIO_UNREADABLE)
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
        raise CannotClean(AUDIO_UNREADABLE) from error


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
            raise CannotClean(AUDIO_UNREADABLE)
        position = 12
        while position + 8 <= len(data):
            chunk = bytes(data[position : position + 4])
            size = struct.unpack("<I", data[position + 4 : position + 8])[0]
            end = position + 8 + size
            if end > len(data):  # a chunk running past the end: blank what is there, whatever it is
                if chunk != b"data":
                    data[position : position + 4] = b"JUNK"
                    data[position + 8 :] = bytes(len(data) - position - 8)
                break
            if chunk in RIFF_METADATA:
                data[position : position + 4] = b"JUNK"
                data[position + 8 : end] = bytes(size)
            position = end + (size & 1)


def _assert_no_tags(data: bytes, content_type: str) -> None:
    """Open the result again: it must still be audio, and carry no tags."""
    audio = mutagen.File(io.BytesIO(data))
    if content_type in ("audio/mp4", "audio/ogg") and audio is None:
        raise CannotClean(AUDIO_UNREADABLE)
    if audio is not None and audio.tags:
        raise CannotClean(AUDIO_TAGS)


def _limit_self() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))


def main() -> int:
    """The child's side of clean(): limits first, then the file from stdin, the cleaned file to stdout."""
    _limit_self()
    content_type, data = sys.argv[1], sys.stdin.buffer.read()
    try:
        cleaned = clean_pdf(data) if content_type == "application/pdf" else clean_audio(data, content_type)
    except CannotClean as refused:
        sys.stderr.write(refused.code + "\n")
        return EXIT_REFUSED
    except MemoryError:
        sys.stderr.write((PDF_TOO_COMPLEX if content_type == "application/pdf" else AUDIO_TOO_COMPLEX) + "\n")
        return EXIT_REFUSED
    sys.stdout.buffer.write(cleaned)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
