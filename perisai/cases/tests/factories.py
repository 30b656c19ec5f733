import uuid

from perisai.accounts.choices import Role
from perisai.cases import services
from perisai.reports import services as report_services


def report(**fields):
    base = {
        "urgent": False,
        "harms": ["touched"],
        "narrative": "Cerita uji.",
        "reporter_anonymous": True,
        "child_name": "Anak Uji",
        "child_age": 9,
        "child_sex": "p",
    }
    base.update(fields)
    return report_services.report_submit(actor=None, fields=base, token=str(uuid.uuid4())).report


def open_case(make_user, *, manager=None, opener=None, **report_fields):
    opener = opener or make_user(Role.INTAKE_OFFICER)
    return services.case_open_from_report(
        actor=opener, report=report(**report_fields), risk="tinggi", authority="kota", case_manager=manager
    )
