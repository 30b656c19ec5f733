"""What the API reads and writes, as OpenAPI schemas. Lists carry no names: a child's identity is only in the
detail of a record the caller may open, and that opening is audited like on the screens."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

from ninja import Field, Schema

from perisai.reports.choices import Harm


class Error(Schema):
    detail: str


class ReportIn(Schema):
    token: uuid.UUID = Field(description="A new UUID per report; sending the same one again finds the same report.")
    urgent: bool = False
    harms: list[Literal[tuple(Harm.values)]] = Field(min_length=1, description="What happened, in everyday words")
    narrative: str = Field(min_length=1, max_length=10000)
    kecamatan: str = Field("", max_length=20, description="Kemendagri code")
    kelurahan: str = Field("", max_length=20)
    location_detail: str = Field("", max_length=500)
    place: str = Field("", max_length=30)
    incident_period: str = Field("", max_length=20)
    incident_date: dt.date | None = None
    child_name: str = Field("", max_length=150)
    child_age: int | None = Field(None, ge=0, le=25)
    child_sex: str = Field("", max_length=1)
    child_school: str = Field("", max_length=200)
    perpetrator_description: str = Field("", max_length=1000)
    perpetrator_relationship: str = Field("", max_length=20)
    reporter_anonymous: bool = True
    reporter_name: str = Field("", max_length=150)
    reporter_phone: str = Field("", max_length=30)
    reporter_email: str = Field("", max_length=254)
    reporter_relation: str = Field("", max_length=20)
    contact_preference: str = Field("", max_length=500)
    altcha: str = Field("", max_length=5000, description="The ALTCHA solution of GET /public/altcha")


class FieldErrors(Schema):
    detail: str
    errors: dict[str, list[str]] = Field(default_factory=dict, description="Messages per field, as the web form")


class Receipt(Schema):
    code: str
    pin: str | None = Field(description="Shown once; null when the same report was sent again")
    created: bool


class StatusIn(Schema):
    code: str = Field(min_length=1, max_length=40)
    pin: str = Field(min_length=1, max_length=20)


class MessageOut(Schema):
    sender: str
    body: str
    sent_at: dt.datetime


class StepOut(Schema):
    key: str
    label: str
    done: bool
    current: bool
    at: dt.datetime | None


class StatusOut(Schema):
    code: str
    status: str
    status_text: str
    steps: list[StepOut]
    messages: list[MessageOut]


class ReportRow(Schema):
    id: uuid.UUID
    code: str
    status: str
    urgent: bool
    channel: str
    received_at: dt.datetime
    kecamatan: str | None
    violence_types: list[str]
    first_contact_due_at: dt.datetime


class ReportDetail(ReportRow):
    narrative: str
    child_name: str
    child_age: int | None
    child_sex: str
    location_detail: str
    case_id: uuid.UUID | None


class CaseRow(Schema):
    id: uuid.UUID
    registration_number: str
    status: str
    risk: str
    opened_at: dt.datetime
    kecamatan: str | None
    victims: int


class VictimOut(Schema):
    id: uuid.UUID
    name: str
    sex: str
    age: int | None
    violence_types: list[str]
    kdrt: bool


class CaseDetail(CaseRow):
    incident_date: dt.date | None
    place: str
    chronology: str
    victim_list: list[VictimOut]


class NoteIn(Schema):
    body: str = Field(min_length=1, max_length=5000)


class NoteOut(Schema):
    id: uuid.UUID
    created_at: dt.datetime


class ReferralRow(Schema):
    id: uuid.UUID
    status: str
    agency: str
    service_type: str
    sent_at: dt.datetime
    due_at: dt.datetime


class ReferralDetail(ReferralRow):
    shared: dict


class CountRow(Schema):
    code: str
    label: str
    count: int


class Breakdown(Schema):
    key: str
    title: str
    unit: str
    rows: list[CountRow]


class StaffStatistics(Schema):
    start: dt.date
    end: dt.date
    basis: str
    victims: int
    cases: int
    perpetrators: int
    breakdowns: list[Breakdown]


class PublicCell(Schema):
    label: str
    shown: str = Field(description='The count, or "<5", "≥5", "–" where hidden to protect children')


class PublicTable(Schema):
    key: str
    title: str
    unit: str
    rows: list[PublicCell]
    total: str


class PublicStatistics(Schema):
    year: int
    published: bool
    victims: str
    cases: str
    perpetrators: str
    tables: list[PublicTable]
