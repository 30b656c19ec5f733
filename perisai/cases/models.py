"""A child's case: its registration, the victims and perpetrators, the workflow and who may open it."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from perisai.cases.choices import (
    ApprovalDecision,
    ApprovalKind,
    Authority,
    CaseStatus,
    LawfulBasis,
    PlanItemStatus,
    Risk,
    TeamRole,
)
from perisai.cases.deadlines import (
    CANCELLED_OUTCOME,
    GENERAL_OUTCOMES,
    NOT_APPLICABLE_OUTCOME,
    POLICE_OUTCOMES,
    POLICE_REPORT,
    TITLES,
)
from perisai.core.fields import BlindIndexField, EncryptedCharField, EncryptedTextField
from perisai.core.models import RemembersLoadedValues
from perisai.core.simfoni import (
    Education,
    LegalStage,
    Occupation,
    PerpetratorRelationship,
    PlaceOfOccurrence,
    ServiceType,
    Sex,
    ViolenceType,
    is_domestic,
)


class CaseNumberCounter(models.Model):
    """The last registration number used in a year; locked while a case is opened, so numbers have no
    gaps and no duplicates even when two officers open cases at the same moment."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Case(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    registration_number = models.CharField(_("nomor registrasi"), max_length=40, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(editable=False)
    sequence = models.PositiveIntegerField(editable=False)
    status = models.CharField(_("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.NEW)
    risk = models.CharField(_("tingkat risiko"), max_length=10, choices=Risk.choices, default=Risk.MEDIUM)
    authority = models.CharField(_("kewenangan"), max_length=10, choices=Authority.choices, default=Authority.CITY)
    incident_date = models.DateField(_("tanggal kejadian"), null=True, blank=True)
    kecamatan = models.ForeignKey(
        "regions.Region", verbose_name=_("kecamatan"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kelurahan = models.ForeignKey(
        "regions.Region", verbose_name=_("kelurahan"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    place = models.CharField(_("tempat kejadian"), max_length=30, choices=PlaceOfOccurrence.choices, blank=True)
    chronology = EncryptedTextField(_("kronologi"), blank=True)
    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pendamping"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="managed_cases",
    )
    restricted = models.BooleanField(
        _("akses terbatas"),
        default=False,
        help_text=_(
            "Hanya pendamping dan supervisor yang ditugaskan yang dapat membuka kasus ini, misalnya bila "
            "anak atau terduga pelaku berkerabat dengan petugas."
        ),
    )
    # UU PDP: the lawful basis for processing this child's data, recorded per case.
    lawful_basis = models.CharField(_("dasar pemrosesan data"), max_length=20, choices=LawfulBasis.choices, blank=True)
    lawful_basis_note = EncryptedTextField(_("keterangan persetujuan"), blank=True)
    lawful_basis_recorded_at = models.DateTimeField(null=True, blank=True)
    legal_hold = models.BooleanField(_("ditahan untuk proses hukum"), default=False)
    # The report date (SIMFONI-PPA's tanggal pelaporan) and what statistics count by. For a case entered after
    # the fact it is the day the office really received the report, not the day it was typed in (audit trail).
    opened_at = models.DateTimeField(_("dibuka"), default=timezone.now)
    entered_after_fact = models.BooleanField(_("dicatat belakangan"), default=False)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(_("ditutup"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("dianonimkan"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)  # optimistic locking
    # Every change kept; encrypted fields stay encrypted in the history table (same field classes).
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("kasus")
        verbose_name_plural = _("kasus")
        ordering = ["-opened_at"]
        constraints = [models.UniqueConstraint(fields=["year", "sequence"], name="cases_case_year_sequence")]
        indexes = [
            models.Index(fields=["status", "case_manager"], name="cases_status_manager_idx"),
            models.Index(fields=["-opened_at"], name="cases_opened_at_idx"),
            # Statistics and the case list can count by incident date (docs/statistics.md).
            models.Index(fields=["incident_date"], name="cases_incident_date_idx"),
        ]

    def __str__(self) -> str:
        return self.registration_number


class Victim(RemembersLoadedValues):
    remembered_fields = ("case_id",)  # announced as moved (cases.events)
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="victims")
    name = EncryptedCharField(_("nama"), max_length=150, blank=True)
    name_index = BlindIndexField(source="name", purpose="cases.victim_name", normalizer="person")
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices, blank=True)
    birth_date = models.DateField(_("tanggal lahir"), null=True, blank=True)
    estimated_age = models.PositiveSmallIntegerField(_("perkiraan usia saat kejadian"), null=True, blank=True)
    nik = EncryptedCharField(_("NIK"), max_length=16, blank=True)
    nik_index = BlindIndexField(source="nik", purpose="cases.victim_nik", normalizer="digits")
    kelurahan = models.ForeignKey(
        "regions.Region",
        verbose_name=_("kelurahan tempat tinggal"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    address = EncryptedTextField(_("alamat"), blank=True)
    guardian = EncryptedCharField(_("orang tua / wali"), max_length=200, blank=True)
    education = models.CharField(_("pendidikan"), max_length=20, choices=Education.choices, blank=True)
    occupation = models.CharField(_("pekerjaan"), max_length=30, choices=Occupation.choices, blank=True)
    disability = models.BooleanField(_("penyandang disabilitas"), default=False)
    violence_types = models.JSONField(_("jenis kekerasan"), default=list)
    # "|fisik|seksual|": filterable with a plain substring match on SQLite and PostgreSQL alike.
    violence_key = models.CharField(max_length=120, blank=True, editable=False, db_index=True)
    # SIMFONI's KDRT flag is derived (Victim.kdrt); this box is for what the lists cannot tell.
    domestic = models.BooleanField(
        _("KDRT walau hubungan pelaku tidak menunjukkannya"),
        default=False,
        help_text=_(
            "Perisai menandai KDRT sendiri bila pelaku orang tua atau suami/istri, atau keluarga atau majikan dan "
            "kejadian di rumah tangga (UU 23/2004 Pasal 2). Centang bila pelaku lain tinggal serumah dengan anak."
        ),
    )
    needs = EncryptedTextField(_("kebutuhan dan harapan"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("korban")
        verbose_name_plural = _("korban")

    def __str__(self) -> str:
        return f"korban {str(self.public_id)[:8]}"

    def save(self, *args, **kwargs):
        self.violence_key = "|" + "|".join(sorted(set(self.violence_types or []))) + "|"
        super().save(*args, **kwargs)

    @property
    def violence_labels(self) -> list[str]:
        return [str(ViolenceType(code).label) for code in self.violence_types if code in ViolenceType.values]

    @property
    def kdrt(self) -> bool:
        """SIMFONI-PPA's KDRT flag (core.simfoni.is_domestic). Prefetch perpetrator_relationships and
        case__perpetrators when reading many victims."""
        return self.kdrt_from(
            [link.relationship for link in self.perpetrator_relationships.all()],
            [perpetrator.relationship for perpetrator in self.case.perpetrators.all()],
        )

    def kdrt_from(self, own: list[str], case_wide: list[str]) -> bool:
        """KDRT from this victim's own relationships to the perpetrators, or the case-wide ones for perpetrators
        recorded before relationships were kept per victim."""
        return is_domestic(own or case_wide, self.case.place, marked=self.domestic)

    @property
    def adult(self) -> bool:
        """18 or older at the incident (or today, if its date is unknown): counted apart from the children."""
        age = self.age_at(self.case.incident_date or timezone.localdate())
        return age is not None and age >= 18

    def age_at(self, date) -> int | None:
        if self.birth_date and date:
            years = date.year - self.birth_date.year
            return years - ((date.month, date.day) < (self.birth_date.month, self.birth_date.day))
        return self.estimated_age


class Perpetrator(RemembersLoadedValues):
    remembered_fields = ("case_id",)  # announced as moved (cases.events)
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="perpetrators")
    identity = EncryptedTextField(_("identitas atau ciri-ciri"), blank=True)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices, blank=True)
    age = models.PositiveSmallIntegerField(_("usia"), null=True, blank=True)
    relationship = models.CharField(
        _("hubungan dengan korban"),
        max_length=20,
        choices=PerpetratorRelationship.choices,
        default=PerpetratorRelationship.UNKNOWN,
    )
    is_child = models.BooleanField(_("anak berkonflik dengan hukum"), default=False)
    # Legal track (counted in statistics; the report number is the police's reference, not the child's).
    police_report_number = EncryptedCharField(_("nomor laporan polisi"), max_length=80, blank=True)
    police_report_date = models.DateField(_("tanggal laporan polisi"), null=True, blank=True)
    # A code from LegalStageOption (administrators keep the list), not fixed choices.
    legal_stage = models.CharField(_("tahap proses hukum"), max_length=30, blank=True)
    court_decision = EncryptedTextField(_("putusan pengadilan"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("terduga pelaku")
        verbose_name_plural = _("terduga pelaku")

    def __str__(self) -> str:
        return f"pelaku {str(self.public_id)[:8]}"

    @property
    def legal_stage_label(self) -> str:
        return LegalStageOption.objects.label_for(self.legal_stage)


class CaseApproval(models.Model):
    """A supervisor's decision on an intervention plan or a closure."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="approvals")
    kind = models.CharField(max_length=10, choices=ApprovalKind.choices)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    request_note = EncryptedTextField(blank=True)
    decision = models.CharField(max_length=10, choices=ApprovalDecision.choices, default=ApprovalDecision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = EncryptedTextField(blank=True)
    # A plan request keeps the plan as it was sent (JSON, encrypted: the needs describe the child), so the next
    # request can show what changed since the approved one, and a review date; a closure keeps its checklist.
    plan_snapshot = EncryptedTextField(blank=True)
    review_on = models.DateField(_("tanggal tinjauan rencana"), null=True, blank=True)
    checklist = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_decision_display()}"


class CaseAccessGrant(models.Model):
    """Break-the-glass: a supervisor opened a case outside their scope, with a reason, for a limited time."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="grants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = EncryptedTextField(_("alasan"))
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.user_id} → {self.case_id}"


class PlanItem(models.Model):
    """One line of the intervention plan: a child's need, the service that answers it, who provides it, who in the
    office sees to it, by when, and how far it got."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="plan_items")
    victim = models.ForeignKey(Victim, verbose_name=_("korban"), on_delete=models.CASCADE, related_name="plan_items")
    need = EncryptedTextField(_("kebutuhan"))
    service_type = models.CharField(_("jenis layanan (SIMFONI)"), max_length=30, choices=ServiceType.choices)
    provider = models.ForeignKey(
        "accounts.Agency", verbose_name=_("pemberi layanan"), on_delete=models.PROTECT, related_name="+"
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("petugas penanggung jawab"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    target_date = models.DateField(_("target"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=PlanItemStatus.choices, default=PlanItemStatus.PLANNED
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("butir rencana intervensi")
        verbose_name_plural = _("rencana intervensi")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.get_service_type_display()


class PlanMonitoring(models.Model):
    """A monitoring entry against a plan item (pemantauan): what was seen or done, by whom, when."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="monitoring")
    note = EncryptedTextField(_("catatan pemantauan"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at"]

    def __str__(self) -> str:
        return f"pemantauan {self.recorded_at:%d-%m-%Y}"


class Assessment(models.Model):
    """One version of a victim's assessment (asesmen): every save adds a version, none is changed afterwards, so
    the case keeps who assessed what and when. Free text is encrypted: it describes the child's life in detail."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    victim = models.ForeignKey(Victim, on_delete=models.CASCADE, related_name="assessments")
    number = models.PositiveSmallIntegerField(_("versi"))
    risk = models.CharField(_("tingkat risiko dan keselamatan"), max_length=10, choices=Risk.choices)
    risk_reasons = EncryptedTextField(_("alasan tingkat risiko"))
    health = EncryptedTextField(_("kesehatan fisik"), blank=True)
    psychological = EncryptedTextField(_("kondisi psikologis"), blank=True)
    education = EncryptedTextField(_("pendidikan dan sekolah"), blank=True)
    family = EncryptedTextField(_("keluarga dan pengasuh"), blank=True)
    economic = EncryptedTextField(_("keadaan ekonomi"), blank=True)
    legal_needs = EncryptedTextField(_("kebutuhan hukum"), blank=True)
    child_view = EncryptedTextField(_("pandangan dan keinginan anak sendiri"), blank=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("asesmen")
        verbose_name_plural = _("asesmen")
        ordering = ["victim", "-number"]
        constraints = [models.UniqueConstraint(fields=["victim", "number"], name="cases_assessment_version")]

    def __str__(self) -> str:
        return f"asesmen {self.number}"

    # The parts shown on the case page and the register, in the order social workers write them.
    PARTS = ("health", "psychological", "education", "family", "economic", "legal_needs", "child_view")

    def parts(self) -> list[tuple[str, str]]:
        return [
            (str(self._meta.get_field(name).verbose_name), getattr(self, name))
            for name in self.PARTS
            if getattr(self, name)
        ]


class LegalTrackEntry(models.Model):
    """A step of the case's legal track as a partner recorded it (the police's report number, a stage reached),
    kept with who recorded it. The perpetrators' own fields follow the latest step; this keeps the sequence and the
    attribution the case page shows."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="legal_track")
    # The police's own reference, not the child's identity.
    police_report_number = EncryptedCharField(_("nomor laporan polisi"), max_length=80, blank=True)
    legal_stage = models.CharField(_("tahap proses hukum"), max_length=30, blank=True)  # a LegalStageOption code
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at"]

    def __str__(self) -> str:
        return self.police_report_number or self.legal_stage

    @property
    def legal_stage_label(self) -> str:
        return LegalStageOption.objects.label_for(self.legal_stage)


class CaseAccessChange(models.Model):
    """A supervisor restricted a case to its assigned staff, or lifted that, and why (shown in the timeline).

    The reason lives here, encrypted, not in the audit row: it often names the relation between the child and a
    member of staff, which is exactly what restricting the case is meant to keep from the rest of the office."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="access_changes")
    restricted = models.BooleanField()
    reason = EncryptedTextField(_("alasan"))
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["changed_at"]

    def __str__(self) -> str:
        return f"{self.case_id}: {'restricted' if self.restricted else 'open'}"


class CaseTask(RemembersLoadedValues):
    """Something that must be done for a case by a date: from the deadline rules, or added by hand."""

    remembered_fields = ("case_id",)  # announced as moved (cases.events)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    rule = models.CharField(max_length=30, blank=True)  # empty for manual tasks
    title = models.CharField(_("tugas"), max_length=200)
    due_at = models.DateTimeField(_("batas waktu"), db_index=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("petugas"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case_tasks",
    )
    done_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(_("hasil"), max_length=30, blank=True)
    note = EncryptedTextField(_("catatan"), blank=True)
    # Snoozed: out of its owner's "Tugas saya" list until then. The deadline itself never moves (the dashboard
    # still counts the task late when it is), so a snooze is a reminder, not an extension.
    snoozed_until = models.DateTimeField(_("ditunda sampai"), null=True, blank=True)
    snooze_reason = EncryptedTextField(_("alasan ditunda"), blank=True)
    # Each owner is told once that the deadline is near and once that it passed (cases.notices).
    due_soon_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    overdue_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("tugas kasus")
        verbose_name_plural = _("tugas kasus")
        ordering = ["done_at", "due_at"]
        indexes = [
            # Open tasks only: overdue counts, the digest and "overdue first" read nothing else.
            models.Index(
                fields=["case", "due_at"], condition=models.Q(done_at__isnull=True), name="cases_task_open_due_idx"
            ),
            # The dashboard's deadline compliance counts open tasks per rule live (they turn late with the clock):
            # an index-only scan, without reading the 50,000 open tasks' rows at a million victims.
            models.Index(
                fields=["rule", "case", "due_at"],
                condition=models.Q(done_at__isnull=True),
                name="cases_task_open_rule_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def overdue(self) -> bool:
        return self.done_at is None and timezone.now() > self.due_at

    @property
    def snoozed(self) -> bool:
        return self.done_at is None and self.snoozed_until is not None and self.snoozed_until > timezone.now()

    @property
    def legal_duty(self) -> bool:
        """UU TPKS Pasal 41: the police report is owed within 3x24 hours; it is never put off."""
        return self.rule == POLICE_REPORT

    @property
    def display_title(self) -> str:
        """Rule tasks are named in the reader's language; manual tasks keep what was typed."""
        return str(TITLES[self.rule]) if self.rule in TITLES else self.title

    @property
    def outcome_label(self) -> str:
        return str(
            dict(POLICE_OUTCOMES + GENERAL_OUTCOMES + CANCELLED_OUTCOME + NOT_APPLICABLE_OUTCOME).get(
                self.outcome, self.outcome
            )
        )


class Service(RemembersLoadedValues):
    """A service given to one victim (layanan): by the office itself or by a partner agency."""

    remembered_fields = ("victim_id",)  # announced as moved (cases.events)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    victim = models.ForeignKey(Victim, verbose_name=_("korban"), on_delete=models.CASCADE, related_name="services")
    service_type = models.CharField(_("jenis layanan"), max_length=30, choices=ServiceType.choices)
    provider = models.ForeignKey(
        "accounts.Agency", verbose_name=_("pemberi layanan"), on_delete=models.PROTECT, related_name="+"
    )
    planned_on = models.DateField(_("direncanakan"), null=True, blank=True)
    delivered_on = models.DateField(_("diberikan"), null=True, blank=True)
    outcome = EncryptedTextField(_("hasil"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("layanan")
        verbose_name_plural = _("layanan")
        ordering = ["planned_on", "recorded_at"]

    def __str__(self) -> str:
        return self.get_service_type_display()


class CaseNote(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = EncryptedTextField(_("catatan"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"catatan {self.created_at:%d-%m-%Y}"


class CaseTeamMember(models.Model):
    """Office staff working on a case besides its manager; they may open it (need-to-know)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("petugas"), on_delete=models.PROTECT, related_name="case_teams"
    )
    team_role = models.CharField(_("peran dalam tim"), max_length=20, choices=TeamRole.choices)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="cases_team_unique_member")]

    def __str__(self) -> str:
        return self.get_team_role_display()


class VictimRelationship(models.Model):
    """How one perpetrator is related to one victim (SIMFONI hubungan pelaku dengan korban); with several
    victims in a case the same person can be a father to one child and a neighbour to another."""

    perpetrator = models.ForeignKey(Perpetrator, on_delete=models.CASCADE, related_name="relationships")
    victim = models.ForeignKey(Victim, on_delete=models.CASCADE, related_name="perpetrator_relationships")
    relationship = models.CharField(_("hubungan"), max_length=20, choices=PerpetratorRelationship.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["perpetrator", "victim"], name="cases_relationship_unique")]

    def __str__(self) -> str:
        return self.get_relationship_display()


class LegalStageOptions(models.Manager):
    """The list as (code, label, active) rows. Read on many pages and from several processes: cached in the shared
    cache and cleared by the service that saves an option (services.legal_stage_option_save). Built-in codes keep
    their translated label; stages added by the office show what was typed."""

    CACHE_KEY = "cases:legal-stages:v1"

    def rows(self) -> list[tuple[str, str, bool]]:
        rows = cache.get(self.CACHE_KEY)
        if rows is None:
            rows = list(self.order_by("order", "label").values_list("code", "label", "is_active"))
            cache.set(self.CACHE_KEY, rows, 300)
        return rows

    @staticmethod
    def display(code: str, stored: str) -> str:
        return str(LegalStage(code).label) if code in LegalStage.values else stored

    def label_for(self, code: str) -> str:
        if not code:
            return ""
        for known, label, _active in self.rows():
            if known == code:
                return self.display(known, label)
        return code


class LegalStageOption(models.Model):
    """One stage of the legal track (tahap proses hukum) that staff can pick.

    The office's list changes more often than the code (a new diversion step, a restorative-justice stage), so
    administrators keep it in the admin; stages are deactivated, never deleted, because perpetrators' records and
    statistics refer to their codes. The built-in SIMFONI stages are loaded by migration."""

    code = models.SlugField(_("kode"), max_length=30, unique=True)
    label = models.CharField(_("nama tahap"), max_length=100)
    order = models.PositiveSmallIntegerField(_("urutan"), default=100)
    is_active = models.BooleanField(_("aktif"), default=True)

    objects = LegalStageOptions()

    class Meta:
        verbose_name = _("tahap proses hukum")
        verbose_name_plural = _("tahap proses hukum")
        ordering = ["order", "label"]

    def __str__(self) -> str:
        return self.label
