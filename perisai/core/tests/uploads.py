"""Files for upload tests, made on the spot."""

import io
import struct

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

GPS_IFD = 0x8825


def jpeg_with_gps(name: str = "foto.jpg") -> SimpleUploadedFile:
    image = Image.new("RGB", (64, 48), "orange")
    exif = Image.Exif()
    exif[0x0110] = "Demo Phone X1"  # camera model
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "S", 2: (6.0, 2.0, 31.0), 3: "E", 4: (106.0, 3.0, 12.0)})  # Cilegon
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def pdf(name: str = "surat.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, real_pdf(), content_type="application/pdf")


def real_pdf(*, author: str = "", script: str = "", pages: int = 1) -> bytes:
    """A PDF of blank pages, optionally with an author and a script that runs on opening."""
    import pikepdf

    document = pikepdf.new()
    for _ in range(pages):
        document.add_blank_page()
    if author:
        with document.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["dc:creator"] = [author]
        document.docinfo["/Author"] = author
    if script:
        action = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String(script))
        document.Root.OpenAction = document.make_indirect(action)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _atom(name: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + name + payload


def m4a(*, location: str = "") -> bytes:
    """A minimal AAC-in-MP4 voice note; `location` goes in a QuickTime ©xyz atom as phones write it."""
    mvhd = _atom(
        b"mvhd", bytes(12) + struct.pack(">II", 1000, 1000) + b"\x00\x01\x00\x00\x01\x00" + bytes(78) + b"\0\0\0\2"
    )
    mdhd = _atom(b"mdhd", bytes(12) + struct.pack(">II", 44100, 44100) + bytes(4))
    hdlr = _atom(b"hdlr", bytes(8) + b"soun" + bytes(12) + b"\0")
    # AAC-LC, 44.1 kHz, stereo, 128 kbit/s: the decoder description every mp4a entry carries.
    decoder = b"\x04\x11\x40\x15\0\0\0\0\x01\xf4\0\0\x01\xf4\0" + b"\x05\x02\x12\x10"
    esds = _atom(b"esds", bytes(4) + b"\x03\x19\0\0\0" + decoder + b"\x06\x01\x02")
    entry = _atom(
        b"mp4a", bytes(6) + b"\0\1" + bytes(8) + b"\0\2\0\x10" + bytes(4) + struct.pack(">I", 44100 << 16) + esds
    )
    stbl = _atom(b"stbl", _atom(b"stsd", bytes(4) + b"\0\0\0\1" + entry))
    trak = _atom(b"trak", _atom(b"mdia", mdhd + hdlr + _atom(b"minf", stbl)))
    udta = _atom(b"udta", _atom(b"\xa9xyz", struct.pack(">HH", len(location), 0x15C7) + location.encode()))
    moov = _atom(b"moov", mvhd + trak + (udta if location else b""))
    return _atom(b"ftyp", b"M4A \0\0\0\0M4A isom") + moov + _atom(b"mdat", bytes(64))


def mp3(*, artist: str = "") -> bytes:
    """A few silent MPEG-1 Layer III frames, with an ID3 tag naming `artist`."""
    frame = b"\xff\xfb\x90\x64" + bytes(413)  # 128 kbit/s, 44.1 kHz: 417 bytes a frame
    body = frame * 10
    if not artist:
        return body
    from mutagen.id3 import ID3, TPE1

    tag = ID3()
    tag.add(TPE1(encoding=3, text=[artist]))
    out = io.BytesIO(body)
    tag.save(out)
    return out.getvalue()
