"""The backup archive's container: one file, encrypted and authenticated as a stream, under its own key.

Layout: a 77-byte header, then the plaintext (a tar) cut into chunks of `chunk_size` bytes, each sealed with
AES-256-GCM. This is the STREAM construction (Hoang, Reyhanitabar, Rogaway, Vizár 2015), as age and Tink's
streaming AEAD use it:

- a fresh 32-byte salt per archive and HKDF-SHA256 turn PERISAI_BACKUP_KEY into this archive's AES key (and a
  key check value), so the counter nonces below never repeat under one key;
- chunk i is sealed with the nonce `i (11 bytes, big-endian) || last (1 byte: 1 for the final chunk, else 0)`,
  and the whole header as associated data. Moving, dropping or repeating a chunk changes its nonce; cutting the
  file leaves a last chunk sealed as "not last"; bytes appended after the final chunk make it "not last" too;
  an edited header fails every chunk. Each of these fails authentication: nothing is trusted before it passes;
- the key check value (the second half of the HKDF output) tells a wrong key from a damaged file, and commits the
  header to the key (GCM alone does not).

Chunks are read and written one at a time, so neither side holds more than one chunk in memory.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import os
import secrets
import struct
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

MAGIC = b"PERISAIB"
FORMAT_VERSION = 1
KEY_BYTES = 32
SALT_BYTES = 32
CHECK_BYTES = 32
TAG_BYTES = 16
CHUNK_SIZE = 1 << 20  # 1 MiB: the memory either side needs; 16 bytes of overhead per MiB
MIN_CHUNK_SIZE, MAX_CHUNK_SIZE = 64, 16 << 20
_HEADER = struct.Struct(f">8sBI{SALT_BYTES}s{CHECK_BYTES}s")
HEADER_SIZE = _HEADER.size
_INFO = b"perisai backup archive v1"


class BackupError(Exception):
    """A backup or restore refused, with a message for the operator (never personal data)."""


def generate_key() -> str:
    """A fresh PERISAI_BACKUP_KEY: 32 random bytes, url-safe base64."""
    return base64.urlsafe_b64encode(secrets.token_bytes(KEY_BYTES)).decode()


def _decode(value: str) -> bytes | None:
    try:
        return base64.b64decode(value.strip().encode(), altchars=b"-_", validate=True)
    except (ValueError, binascii.Error):
        return None


def backup_key(value: str | None = None) -> bytes:
    """The configured backup key as bytes, or BackupError saying what is wrong with it.

    It must be a key of its own: the archive holds the field-encrypted data, so sealing it with a field key (or
    another of the server's secrets) would let one leaked secret open both layers.
    """
    value = settings.PERISAI_BACKUP_KEY if value is None else value
    if not value:
        raise BackupError(
            "PERISAI_BACKUP_KEY belum diatur: cadangan tidak dibuat. Buat kunci dengan `manage.py backup "
            "--generate-key`, simpan di lingkungan layanan, dan salinannya terpisah dari arsip dan kunci data."
        )
    raw = _decode(value)
    if raw is None or len(raw) != KEY_BYTES:
        raise BackupError(
            "PERISAI_BACKUP_KEY tidak sah: harus 32 bita acak dalam base64 url-safe "
            "(buat dengan `manage.py backup --generate-key`)."
        )
    others = [*settings.FIELD_ENCRYPTION_KEYS, settings.BLIND_INDEX_KEY, settings.SECRET_KEY]
    if any(value.strip() == other.strip() or raw == _decode(other) for other in others if other):
        raise BackupError(
            "PERISAI_BACKUP_KEY sama dengan kunci lain server (FIELD_ENCRYPTION_KEYS, BLIND_INDEX_KEY atau "
            "SECRET_KEY). Cadangan memerlukan kuncinya sendiri: buat dengan `manage.py backup --generate-key`."
        )
    return raw


def _derive(key: bytes, salt: bytes) -> tuple[bytes, bytes]:
    material = HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES + CHECK_BYTES, salt=salt, info=_INFO).derive(key)
    return material[:KEY_BYTES], material[KEY_BYTES:]


def _nonce(index: int, last: bool) -> bytes:
    return index.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


class EncryptingWriter:
    """A write-only file object: what is written comes out sealed, chunk by chunk, into `target`.

    `close()` seals the final chunk; an archive whose writer was not closed fails to open as truncated.
    """

    def __init__(self, target: BinaryIO, key: bytes, *, chunk_size: int = CHUNK_SIZE):
        if not MIN_CHUNK_SIZE <= chunk_size <= MAX_CHUNK_SIZE:
            raise ValueError("chunk size out of range")
        salt = os.urandom(SALT_BYTES)
        aes_key, check = _derive(key, salt)
        self._header = _HEADER.pack(MAGIC, FORMAT_VERSION, chunk_size, salt, check)
        self._aead = AESGCM(aes_key)
        self._target = target
        self._chunk_size = chunk_size
        self._buffer = bytearray()
        self._index = 0
        self.closed = False
        target.write(self._header)

    def _seal(self, data: bytes, *, last: bool) -> None:
        self._target.write(self._aead.encrypt(_nonce(self._index, last), data, self._header))
        self._index += 1

    def write(self, data: bytes) -> int:
        if self.closed:
            raise ValueError("write to a closed archive")
        self._buffer += data
        # Keep at least one byte back: only close() knows which chunk is the last one.
        while len(self._buffer) > self._chunk_size:
            self._seal(bytes(self._buffer[: self._chunk_size]), last=False)
            del self._buffer[: self._chunk_size]
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._seal(bytes(self._buffer), last=True)
            self._buffer.clear()
            self.closed = True


class DecryptingReader:
    """A read-only file object over a sealed archive; every byte it returns has been authenticated.

    Raises BackupError on a wrong key, a damaged, cut or extended file. `read()` returns b"" only after the
    final chunk passed, so a reader that drains it to the end has proven the archive complete.
    """

    def __init__(self, source: BinaryIO, key: bytes):
        header = source.read(HEADER_SIZE)
        if len(header) < HEADER_SIZE or not header.startswith(MAGIC):
            raise BackupError("Berkas ini bukan arsip cadangan Perisai (atau awalnya rusak).")
        _magic, version, chunk_size, salt, check = _HEADER.unpack(header)
        if version != FORMAT_VERSION:
            raise BackupError(f"Format arsip versi {version} tidak dikenal oleh versi Perisai ini.")
        aes_key, expected = _derive(key, salt)
        if not hmac.compare_digest(check, expected):
            raise BackupError(
                "Kunci cadangan salah: PERISAI_BACKUP_KEY bukan kunci yang membuat arsip ini (atau kepala arsip rusak)."
            )
        if not MIN_CHUNK_SIZE <= chunk_size <= MAX_CHUNK_SIZE:
            raise BackupError("Kepala arsip rusak (ukuran bagian tidak sah).")
        self._header = header
        self._aead = AESGCM(aes_key)
        self._source = source
        self._sealed_size = chunk_size + TAG_BYTES
        self._index = 0
        self._carry = b""
        self._plain = bytearray()
        self.finished = False

    def _read_raw(self, size: int) -> bytes:
        data = self._carry
        self._carry = b""
        while len(data) < size:
            more = self._source.read(size - len(data))
            if not more:
                break
            data += more
        return data

    def _open(self, sealed: bytes, *, last: bool) -> bytes | None:
        try:
            return self._aead.decrypt(_nonce(self._index, last), sealed, self._header)
        except InvalidTag:
            return None

    def _next_chunk(self) -> None:
        sealed = self._read_raw(self._sealed_size)
        peek = self._source.read(1)
        last = not peek
        self._carry = peek
        if not sealed:
            raise BackupError(f"Arsip terpotong: berakhir sebelum bagian terakhir (setelah bagian ke-{self._index}).")
        plain = self._open(sealed, last=last)
        if plain is None:
            # Only to name the damage: the opposite flag opening the chunk means the file was cut at a chunk
            # boundary (last) or extended after its final chunk (not last). Nothing is accepted either way.
            if self._open(sealed, last=not last) is not None:
                if last:
                    raise BackupError(f"Arsip terpotong: berakhir setelah bagian ke-{self._index + 1}.")
                raise BackupError("Arsip ditambah: ada data setelah bagian terakhirnya.")
            raise BackupError(f"Arsip rusak atau diubah: bagian ke-{self._index + 1} gagal diautentikasi.")
        self._plain += plain
        self._index += 1
        self.finished = last

    def read(self, size: int = -1) -> bytes:
        while not self.finished and (size < 0 or len(self._plain) < size):
            self._next_chunk()
        if size < 0:
            size = len(self._plain)
        data = bytes(self._plain[:size])
        del self._plain[:size]
        return data

    def drain(self) -> int:
        """Read to the end (authenticating every remaining chunk); the number of bytes that were left."""
        left = 0
        while chunk := self.read(CHUNK_SIZE):
            left += len(chunk)
        return left
