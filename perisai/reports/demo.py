"""Demo reports: every channel, new and being checked, urgent and calm, some overdue. Clearly fake.

Tokens are derived from a fixed namespace, so running seed_demo again finds the same reports instead of
adding more. Reports that became cases come from perisai.cases.demo; "referred" arrives with referrals (issue 6).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils import timezone

from perisai.accounts.models import User
from perisai.regions.models import Region
from perisai.reports import services
from perisai.reports.choices import Channel, Harm
from perisai.reports.models import Report

NAMESPACE = uuid.UUID("5f1d8c43-7f43-4b8e-9a55-0d3c1ae0c0de")

# (channel, kelurahan code, harms, urgent, hours ago, child, age, sex, anonymous)
DEMO = [
    (Channel.WEB, "36.72.05.1003", [Harm.TOUCHED], True, 1, "", 9, "p", True),
    (Channel.WEB, "36.72.08.1007", [Harm.HIT], False, 30, "Anak Demo Budi", 9, "l", False),
    (Channel.WALK_IN, "36.72.01.1001", [Harm.SEXUAL], False, 50, "Anak Demo Mawar", 14, "p", False),
    (Channel.PHONE, "36.72.02.1002", [Harm.THREATENED, Harm.HIT], False, 8, "", 11, "l", True),
    (Channel.WHATSAPP, "36.72.03.1004", [Harm.WORK], False, 4, "Anak Demo Tono", 12, "l", True),
    (Channel.LETTER, "36.72.04.1001", [Harm.NEGLECTED], False, 120, "Anak Demo Sari", 6, "p", False),
    (Channel.SP4N_LAPOR, "36.72.06.1002", [Harm.SHOWN], False, 70, "", 15, "p", True),
    (Channel.SAPA129, "36.72.07.1004", [Harm.TOUCHED], True, 3, "Anak Demo Melati", 8, "p", False),
    (Channel.MEDIA, "36.72.04.1003", [Harm.SOLD], False, 26, "", 16, "p", True),
    (Channel.OUTREACH, "36.72.07.1006", [Harm.WORK], False, 20, "Anak Demo Joko", 10, "l", True),
    (Channel.SCHOOL, "36.72.08.1001", [Harm.HIT], False, 5, "Anak Demo Rudi", 9, "l", False),
    (Channel.HEALTH, "36.72.05.1001", [Harm.SEXUAL], True, 2, "Anak Demo Dewi", 13, "p", False),
    (Channel.POLICE, "36.72.02.1004", [Harm.SEXUAL, Harm.THREATENED], False, 10, "Anak Demo Intan", 15, "p", False),
    (Channel.WEB, "36.72.06.1003", [Harm.OTHER], False, 90, "", 19, "l", True),  # closed: not a child
    (Channel.SMS, "36.72.01.1003", [Harm.NEGLECTED], False, 15, "", 7, "p", True),
]


def seed() -> list[str]:
    created = []
    officer = User.objects.filter(email="petugas@perisai.test").first()
    now = timezone.now()
    for index, (channel, kelurahan_code, harms, urgent, hours_ago, child, age, sex, anonymous) in enumerate(DEMO):
        kelurahan = Region.objects.get(code=kelurahan_code)
        fields = {
            "urgent": urgent,
            "harms": list(harms),
            "narrative": f"[DEMO] Cerita rekaan nomor {index + 1} untuk mencoba Perisai. Bukan kejadian nyata.",
            "kecamatan": kelurahan.parent,
            "kelurahan": kelurahan,
            "location_detail": "[DEMO] dekat balai warga",
            "incident_period": "this_week",
            "child_name": child,
            "child_age": age,
            "child_sex": sex,
            "reporter_anonymous": anonymous,
            "reporter_name": "" if anonymous else "Pelapor Demo",
            "reporter_phone": "" if anonymous else "+6281200000000",
            "reporter_relation": "neighbour",
        }
        submission = services.report_submit(
            actor=None if channel == Channel.WEB else officer,
            fields=fields,
            token=str(uuid.uuid5(NAMESPACE, str(index))),
            channel=channel,
            received_at=now - dt.timedelta(hours=hours_ago),
        )
        if not submission.created:
            continue
        created.append(f"laporan {submission.report.tracking_code}")
        if officer and age >= 18:  # not a child: closed and handed over
            services.report_close(
                actor=officer,
                report=submission.report,
                reason="[DEMO] Korban berusia 19 tahun; dirujuk ke layanan perempuan dewasa.",
                handed_over=True,
            )
        elif officer and index % 3 == 1:  # some are being checked, with first contact made and a question asked
            services.report_record_first_contact(
                actor=officer, report=submission.report, note="[DEMO] Pelapor ditelepon."
            )
            services.report_message_from_staff(
                actor=officer, report=submission.report, body="[DEMO] Apakah anak masih tinggal di alamat yang sama?"
            )
    return created


def describe() -> str:
    count = Report.objects.filter(status__in=["new", "in_review"]).count()
    return f"Laporan di kotak masuk: {count} (lihat /staf/laporan/ sebagai petugas@perisai.test)."
