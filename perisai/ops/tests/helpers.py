"""Opening and re-sealing archives in tests, to look inside them and to forge the damaged ones restore must refuse."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

from perisai.ops.archive import DecryptingReader, EncryptingWriter, backup_key


def read_members(path: Path, key: bytes | None = None) -> list[tuple[str, bytes]]:
    """Every member of the archive, in order, as (name, bytes)."""
    with path.open("rb") as source:
        reader = DecryptingReader(source, key or backup_key())
        with tarfile.open(fileobj=reader, mode="r|") as tar:
            return [(member.name, tar.extractfile(member).read()) for member in tar]


def write_members(path: Path, members: list[tuple[str, bytes]], key: bytes | None = None) -> None:
    """A correctly sealed archive holding exactly these members: whatever restore refuses in it, it refuses
    for what is inside, not for the sealing."""
    with path.open("wb") as target:
        writer = EncryptingWriter(target, key or backup_key())
        with tarfile.open(fileobj=writer, mode="w|", format=tarfile.PAX_FORMAT) as tar:
            for name, data in members:
                info = tarfile.TarInfo(name)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
        writer.close()


def manifest_of(members: list[tuple[str, bytes]]) -> dict:
    return json.loads(dict(members)["manifest.json"])


def with_manifest(members: list[tuple[str, bytes]], manifest: dict) -> list[tuple[str, bytes]]:
    return [(name, json.dumps(manifest).encode() if name == "manifest.json" else data) for name, data in members]
