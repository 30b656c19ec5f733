import uuid

from django.urls import reverse

from perisai.reports import services


def form_data(**overrides) -> dict:
    """What Bu Sri sends: urgent, touched, Jombang → Masigit, a few lines, anonymous."""
    data = {
        "token": str(uuid.uuid4()),
        "urgent": "yes",
        "harms": ["touched"],
        "narrative": "Anak perempuan tetangga menangis lagi malam ini setelah ayah tirinya pulang.",
        "kecamatan": "36.72.05",
        "kelurahan": "36.72.05.1003",
        "location_detail": "Gang dekat musala",
        "incident_period": "ongoing",
        "child_age": "9",
        "child_sex": "p",
        "reporter_anonymous": "yes",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def submitted(**overrides):
    data = form_data(**overrides)
    fields = {k: v for k, v in data.items() if k != "token"}
    fields.update(
        urgent=data["urgent"] == "yes",
        reporter_anonymous=data["reporter_anonymous"] == "yes",
        child_age=int(data["child_age"]),
        kecamatan=None,
        kelurahan=None,
    )
    return services.report_submit(actor=None, fields=fields, token=data["token"])


def open_report(client, submission):
    return client.post(
        reverse("reports_public:check"), {"code": submission.report.tracking_code, "pin": submission.pin}
    )
