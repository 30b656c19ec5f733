"""The archive's container on its own: what goes in comes out, and every kind of damage is refused."""

import base64
import io
import os

import pytest
from cryptography.fernet import Fernet

from perisai.ops.archive import (
    HEADER_SIZE,
    TAG_BYTES,
    BackupError,
    DecryptingReader,
    EncryptingWriter,
    backup_key,
    generate_key,
)

CHUNK = 64  # small chunks, so a few hundred bytes make several of them
SEALED = CHUNK + TAG_BYTES


def seal(data: bytes, key: bytes, *, pieces: int = 7) -> bytes:
    target = io.BytesIO()
    writer = EncryptingWriter(target, key, chunk_size=CHUNK)
    for start in range(0, len(data), pieces):  # written in odd pieces, as tarfile does
        writer.write(data[start : start + pieces])
    writer.close()
    return target.getvalue()


def unseal(sealed: bytes, key: bytes) -> bytes:
    reader = DecryptingReader(io.BytesIO(sealed), key)
    data = b"".join(iter(lambda: reader.read(50), b""))
    assert reader.finished
    return data


@pytest.fixture
def key():
    return os.urandom(32)


class ContainerTests:
    @pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 3 * CHUNK + 5])
    def test_what_is_written_is_read_back_whatever_its_length(self, key, size):
        data = os.urandom(size)
        sealed = seal(data, key)
        chunks = max(1, -(-size // CHUNK))
        assert len(sealed) == HEADER_SIZE + size + chunks * TAG_BYTES
        assert unseal(sealed, key) == data

    def test_the_same_data_sealed_twice_looks_different(self, key):
        data = b"x" * 200
        first, second = seal(data, key), seal(data, key)
        assert first != second  # a fresh salt, hence a fresh key, per archive
        assert data not in first

    def test_a_wrong_key_is_named_as_such(self, key):
        with pytest.raises(BackupError, match="Kunci cadangan salah"):
            unseal(seal(b"data" * 50, key), os.urandom(32))

    @pytest.mark.parametrize("position", [HEADER_SIZE, HEADER_SIZE + 70, HEADER_SIZE + SEALED + 3, -1])
    def test_a_flipped_byte_in_any_chunk_is_refused(self, key, position):
        sealed = bytearray(seal(os.urandom(3 * CHUNK + 10), key))
        sealed[position] ^= 0x01
        with pytest.raises(BackupError, match="rusak atau diubah"):
            unseal(bytes(sealed), key)

    @pytest.mark.parametrize(
        ("position", "message"),
        [(0, "bukan arsip"), (8, "versi"), (9, "rusak"), (20, "Kunci cadangan salah"), (HEADER_SIZE - 1, "salah")],
    )
    def test_a_flipped_byte_in_the_header_is_refused(self, key, position, message):
        sealed = bytearray(seal(os.urandom(100), key))
        sealed[position] ^= 0x01
        with pytest.raises(BackupError, match=message):
            unseal(bytes(sealed), key)

    def test_a_file_cut_at_a_chunk_boundary_is_refused_as_truncated(self, key):
        sealed = seal(os.urandom(3 * CHUNK + 10), key)
        for chunks in (0, 1, 2, 3):
            with pytest.raises(BackupError, match="terpotong"):
                unseal(sealed[: HEADER_SIZE + chunks * SEALED], key)

    @pytest.mark.parametrize("cut", [1, 5, TAG_BYTES, SEALED - 1])
    def test_a_file_cut_inside_a_chunk_is_refused(self, key, cut):
        sealed = seal(os.urandom(3 * CHUNK + 10), key)
        with pytest.raises(BackupError):
            unseal(sealed[: HEADER_SIZE + SEALED + cut], key)

    def test_bytes_appended_after_the_last_chunk_are_refused(self, key):
        data = os.urandom(2 * CHUNK)
        sealed = seal(data, key)
        with pytest.raises(BackupError, match="ditambah"):
            unseal(sealed + seal(b"", key)[HEADER_SIZE:], key)  # a whole extra chunk
        for extra in (b"\x00", os.urandom(SEALED + 9)):
            with pytest.raises(BackupError):
                unseal(sealed + extra, key)

    def test_chunks_moved_or_repeated_are_refused(self, key):
        sealed = seal(os.urandom(3 * CHUNK + 10), key)
        header, body = sealed[:HEADER_SIZE], sealed[HEADER_SIZE:]
        chunks = [body[i : i + SEALED] for i in range(0, len(body), SEALED)]
        for reordered in ([chunks[1], chunks[0], *chunks[2:]], [chunks[0], chunks[0], *chunks[1:]]):
            with pytest.raises(BackupError):
                unseal(header + b"".join(reordered), key)

    def test_a_chunk_from_another_archive_under_the_same_key_is_refused(self, key):
        first, second = seal(b"a" * 200, key), seal(b"a" * 200, key)
        mixed = first[: HEADER_SIZE + SEALED] + second[HEADER_SIZE + SEALED :]
        with pytest.raises(BackupError):
            unseal(mixed, key)

    def test_an_archive_whose_writer_was_never_closed_is_refused(self, key):
        target = io.BytesIO()
        writer = EncryptingWriter(target, key, chunk_size=CHUNK)
        writer.write(os.urandom(5 * CHUNK))
        with pytest.raises(BackupError, match="terpotong"):
            unseal(target.getvalue(), key)


class BackupKeyTests:
    def test_a_generated_key_is_32_random_bytes_and_accepted(self, settings):
        settings.PERISAI_BACKUP_KEY = generate_key()
        assert len(backup_key()) == 32
        assert generate_key() != generate_key()

    @pytest.mark.parametrize(
        "value", ["", "not base64!", base64.urlsafe_b64encode(b"short").decode(), "a" * 44, "===="]
    )
    def test_a_missing_or_malformed_key_is_refused(self, settings, value):
        settings.PERISAI_BACKUP_KEY = value
        with pytest.raises(BackupError, match="PERISAI_BACKUP_KEY"):
            backup_key()

    def test_production_without_a_key_refuses_to_back_up(self, settings):
        settings.PRODUCTION = True
        settings.PERISAI_BACKUP_KEY = ""
        with pytest.raises(BackupError, match="belum diatur"):
            backup_key()

    @pytest.mark.parametrize("other", ["FIELD_ENCRYPTION_KEYS", "BLIND_INDEX_KEY", "SECRET_KEY"])
    def test_another_key_of_the_server_is_refused(self, settings, other):
        field_key = Fernet.generate_key().decode()
        settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), field_key]  # an older key counts too
        settings.BLIND_INDEX_KEY = generate_key()
        settings.SECRET_KEY = generate_key()
        settings.PERISAI_BACKUP_KEY = {
            "FIELD_ENCRYPTION_KEYS": field_key,
            "BLIND_INDEX_KEY": settings.BLIND_INDEX_KEY,
            "SECRET_KEY": settings.SECRET_KEY,
        }[other]
        with pytest.raises(BackupError, match="sama dengan kunci lain"):
            backup_key()

    def test_a_field_key_written_in_standard_base64_is_still_the_field_key(self, settings):
        raw = bytes([0xFB, 0xFF] * 16)  # encodes with "-" and "_" url-safe, "+" and "/" in standard base64
        settings.FIELD_ENCRYPTION_KEYS = [base64.urlsafe_b64encode(raw).decode()]
        settings.PERISAI_BACKUP_KEY = base64.standard_b64encode(raw).decode()
        assert settings.PERISAI_BACKUP_KEY != settings.FIELD_ENCRYPTION_KEYS[0]
        with pytest.raises(BackupError, match="sama dengan kunci lain"):
            backup_key()
