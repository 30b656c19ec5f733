import uuid

from perisai.accounts.choices import Role
from perisai.cases import services
from perisai.cases.choices import CLOSURE_CHECKLIST
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


# The closure checklist with every item ticked (cases.choices.CLOSURE_CHECKLIST).
ALL_TICKED = {key: True for key, _label in CLOSURE_CHECKLIST}


def plan_item(actor, case, **fields):
    """One item of the intervention plan, given by the office itself; the case's version moves on."""
    base = {
        "victim": case.victims.order_by("pk").first(),
        "need": "Pemulihan psikologis",
        "service_type": "psikologis",
        "provider": actor.agency,
    }
    base.update(fields)
    item = services.plan_item_save(actor=actor, case=case, version=case.version, **base)
    case.refresh_from_db()
    return item
