"""Synthetic report content for benchmarks: plausible in shape and length, obviously fake in content.

Every narrative starts with "[DATA UJI SINTETIS]" and every name is "... Uji <number>", so nobody can
mistake a generated report for a real child's case. Pure Python (no Django), so the load client can use it.
Randomness here is for variety, not security.
"""

from __future__ import annotations

import csv
import random
import uuid
from pathlib import Path

MARK = "[DATA UJI SINTETIS]"
REGIONS_CSV = Path(__file__).resolve().parent.parent / "perisai" / "regions" / "data" / "cilegon_wilayah.csv"

HARMS = ["hit", "threatened", "touched", "sexual", "shown", "work", "sold", "neglected", "other"]
# Roughly how often each is ticked on the paper forms the office used before: physical and psychological
# harm and neglect are the common ones.
HARM_WEIGHTS = [30, 25, 12, 8, 3, 6, 1, 14, 1]
PERIODS = ["today", "this_week", "this_month", "earlier", "ongoing"]
PLACES = ["", "rumah_tangga", "sekolah", "fasilitas_umum", "tempat_kerja", "lainnya"]
PERPETRATORS = ["", "orang_tua", "keluarga", "tetangga", "pacar_teman", "guru", "majikan", "na"]
RELATIONS = ["family", "neighbour", "teacher", "friend", "witness", "patbm", "other"]

_OPENINGS = [
    "Ini contoh laporan buatan untuk uji beban.",
    "Cerita ini dikarang oleh skrip uji dan tidak menggambarkan kejadian nyata.",
    "Laporan fiktif untuk mengukur kecepatan formulir.",
]
_SENTENCES = [
    "Anak fiktif nomor {n} disebut sering terlihat sendirian di depan rumah sampai malam.",
    "Tetangga rekaan mendengar suara keras dari rumah contoh di gang {n}.",
    "Guru khayalan melihat memar buatan di lengan murid uji {n}.",
    "Anak uji {n} dikatakan tidak masuk sekolah selama beberapa minggu.",
    "Orang dewasa fiktif disebut menyuruh anak uji {n} berjualan di lampu merah.",
    "Kejadian rekaan ini disebut berulang sejak beberapa bulan lalu.",
    "Pelapor uji tidak tahu nama lengkap orang yang terlibat.",
    "Semua nama, tempat dan waktu dalam teks ini dibuat-buat.",
]


def _rng(seed: int | None) -> random.Random:
    return random.Random(seed)  # noqa: S311 - variety, not secrecy


def load_regions() -> list[tuple[str, str]]:
    """(kecamatan code, kelurahan code) pairs of Kota Cilegon, from the file the migration loads."""
    with REGIONS_CSV.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [(row["parent_code"], row["code"]) for row in rows if row["level"] in {"kelurahan", "desa"}]


def narrative(rng: random.Random, n: int) -> str:
    count = rng.randint(2, 6)
    body = " ".join(sentence.format(n=n) for sentence in rng.sample(_SENTENCES, count))
    # The number makes every report distinct, so the form's resend check (same answers from the same device)
    # never mistakes two generated reports for one.
    return f"{MARK} {rng.choice(_OPENINGS)} (Laporan uji #{n}.) {body}"


def report_values(rng: random.Random, n: int, regions: list[tuple[str, str]]) -> dict:
    """One fake report as plain values (codes for regions): the shape of what the public form sends."""
    kecamatan, kelurahan = rng.choice(regions)
    anonymous = rng.random() < 0.7
    values = {
        "urgent": rng.random() < 0.2,
        "harms": sorted(set(rng.choices(HARMS, weights=HARM_WEIGHTS, k=rng.randint(1, 3)))),
        "narrative": narrative(rng, n),
        "kecamatan": kecamatan,
        "kelurahan": kelurahan,
        "location_detail": f"Gang Uji {n % 40 + 1}, RT 0{n % 9 + 1} (alamat fiktif)",
        "place": rng.choice(PLACES),
        "incident_period": rng.choice(PERIODS),
        "child_name": f"Anak Uji {n}" if rng.random() < 0.3 else "",
        "child_age": rng.randint(1, 17) if rng.random() < 0.8 else None,
        "child_sex": rng.choice(["p", "l", ""]),
        "perpetrator_description": "Orang dewasa fiktif, ciri-ciri dikarang" if rng.random() < 0.4 else "",
        "perpetrator_relationship": rng.choice(PERPETRATORS),
        "reporter_anonymous": anonymous,
        "reporter_name": "" if anonymous else f"Pelapor Uji {n}",
        # 0812-0000-xxxx style: well-formed Indonesian mobile numbers in a block nobody is handed out.
        "reporter_phone": "" if anonymous else f"+6281200{n % 1_000_000:06d}",
        "reporter_email": "",
        "reporter_relation": "" if anonymous else rng.choice(RELATIONS),
        "contact_preference": "" if anonymous else "WhatsApp saja, sore hari (contoh)",
    }
    return values


def form_fields(rng: random.Random, n: int, regions: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """One fake report as POST fields for /lapor/, with a fresh token (one token = one report)."""
    values = report_values(rng, n, regions)
    fields: list[tuple[str, str]] = [("token", str(uuid.uuid4()))]
    for name, value in values.items():
        if name in {"urgent", "reporter_anonymous"}:
            fields.append((name, "yes" if value else "no"))
        elif name == "harms":
            fields.extend(("harms", harm) for harm in value)
        elif value is not None and value != "":
            fields.append((name, str(value)))
    return fields
