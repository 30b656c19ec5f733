from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from perisai.accounts.choices import Role
from perisai.accounts.models import Agency, User
from perisai.cases import deadlines, legal_stages
from perisai.cases.choices import CLOSURE_CHECKLIST, ApprovalKind, Authority, LawfulBasis, Risk, TeamRole
from perisai.cases.models import Assessment, Perpetrator, PlanItem, Service, Victim
from perisai.core.simfoni import PerpetratorRelationship, PlaceOfOccurrence, ViolenceType
from perisai.core.validators import nik_birth_date, validate_nik
from perisai.regions import selectors as regions
from perisai.regions.models import Region


def case_managers(agency):
    return (
        User.objects.filter(agency=agency, is_active=True, roles__role__in=[Role.CASE_MANAGER, Role.SUPERVISOR])
        .distinct()
        .order_by("full_name")
    )


class OpenCaseForm(forms.Form):
    risk = forms.ChoiceField(label=_("Tingkat risiko"), choices=Risk.choices, initial=Risk.MEDIUM)
    authority = forms.ChoiceField(label=_("Kewenangan"), choices=Authority.choices, initial=Authority.CITY)
    case_manager = forms.ModelChoiceField(
        label=_("Pendamping"), queryset=User.objects.none(), required=False, empty_label=_("— tetapkan nanti —")
    )

    def __init__(self, *args, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_manager"].queryset = case_managers(agency)


class CloseReportForm(forms.Form):
    handed_over = forms.TypedChoiceField(
        label=_("Keputusan"),
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        choices=[
            ("no", _("Bukan kasus kekerasan terhadap anak")),
            ("yes", _("Dilimpahkan ke instansi berwenang lain")),
        ],
    )
    reason = forms.CharField(label=_("Alasan"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class TransitionForm(VersionedForm):
    to = forms.CharField(widget=forms.HiddenInput)


class AssignForm(VersionedForm):
    case_manager = forms.ModelChoiceField(
        label=_("Pendamping"), queryset=User.objects.none(), empty_label=_("— pilih pendamping —")
    )

    def __init__(self, *args, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_manager"].queryset = case_managers(agency)


class ApprovalRequestForm(forms.Form):
    kind = forms.ChoiceField(choices=ApprovalKind.choices, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Catatan untuk supervisor"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class PlanApprovalRequestForm(ApprovalRequestForm):
    review_on = forms.DateField(
        label=_("Tanggal tinjauan rencana"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Kapan rencana ini ditinjau lagi bersama supervisor."),
    )

    def approval_fields(self) -> dict:
        return {"note": self.cleaned_data["note"], "review_on": self.cleaned_data["review_on"]}


class ClosureApprovalRequestForm(ApprovalRequestForm):
    checklist = forms.MultipleChoiceField(
        label=_("Daftar periksa terminasi"),
        choices=CLOSURE_CHECKLIST,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Butir yang belum dicentang dijelaskan di catatan."),
    )
    field_order = ["kind", "checklist", "note"]

    def approval_fields(self) -> dict:
        ticked = set(self.cleaned_data["checklist"])
        return {
            "note": self.cleaned_data["note"],
            "checklist": {key: key in ticked for key, _label in CLOSURE_CHECKLIST},
        }


REQUEST_FORMS = {ApprovalKind.PLAN: PlanApprovalRequestForm, ApprovalKind.CLOSURE: ClosureApprovalRequestForm}


class PlanItemForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = PlanItem
        fields = ["victim", "need", "service_type", "provider", "responsible", "target_date", "status"]
        widgets = {
            "need": forms.Textarea(attrs={"rows": 2}),
            "target_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["victim"].queryset = case.victims.order_by("pk") if case else Victim.objects.none()
        self.fields["victim"].label_from_instance = lambda victim: victim.name or _("(belum diketahui)")
        self.fields["provider"].queryset = Agency.objects.filter(is_active=True).order_by("kind", "name")
        agency = case.opened_by.agency if case else None
        self.fields["responsible"].queryset = case_managers(agency)
        self.fields["responsible"].empty_label = _("— belum ditetapkan —")


class MonitoringForm(forms.Form):
    note = forms.CharField(label=_("Catatan pemantauan"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))


class ApprovalDecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Keputusan"),
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        choices=[("yes", _("Setujui")), ("no", _("Kembalikan untuk diperbaiki"))],
    )
    comment = forms.CharField(
        label=_("Komentar"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )


class LawfulBasisForm(VersionedForm):
    basis = forms.ChoiceField(label=_("Dasar pemrosesan data anak"), choices=LawfulBasis.choices)
    note = forms.CharField(
        label=_("Keterangan (siapa memberi persetujuan, kapan, bagaimana)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CaseFactsForm(VersionedForm):
    """What triage copied from the report, as the case manager corrects it. Regions are chosen by code."""

    incident_date = forms.DateField(
        label=_("Tanggal kejadian"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Boleh kosong bila belum diketahui."),
    )
    place = forms.ChoiceField(
        label=_("Tempat kejadian"), required=False, choices=[("", _("— belum diketahui —")), *PlaceOfOccurrence.choices]
    )
    kecamatan = forms.ChoiceField(label=_("Kecamatan kejadian"), required=False)
    kelurahan = forms.ChoiceField(label=_("Kelurahan kejadian"), required=False)
    chronology = forms.CharField(
        label=_("Kronologi"), required=False, max_length=20_000, widget=forms.Textarea(attrs={"rows": 8})
    )

    def __init__(self, *args, case=None, **kwargs):
        if case is not None and not kwargs.get("data") and not args:
            kwargs.setdefault(
                "initial",
                {
                    "version": case.version,
                    "incident_date": case.incident_date,
                    "place": case.place,
                    "kecamatan": case.kecamatan.code if case.kecamatan else "",
                    "kelurahan": case.kelurahan.code if case.kelurahan else "",
                    "chronology": case.chronology,
                },
            )
        super().__init__(*args, **kwargs)
        kecamatan, kelurahan = regions.city_choices(regions.city_code())
        self.fields["kecamatan"].choices = [("", _("— pilih kecamatan —")), *kecamatan]
        self.fields["kelurahan"].choices = [("", _("— pilih kelurahan —")), *[(n, list(v)) for n, v in kelurahan]]

    def clean(self):
        cleaned = super().clean()
        kecamatan_code, kelurahan_code = cleaned.get("kecamatan"), cleaned.get("kelurahan")
        kecamatan = regions.region_by_code(kecamatan_code) if kecamatan_code else None
        kelurahan = regions.region_by_code(kelurahan_code) if kelurahan_code else None
        if kelurahan is not None:
            if kecamatan is None:
                kecamatan = kelurahan.parent
            elif kelurahan.parent_id != kecamatan.pk:
                self.add_error("kelurahan", _("Kelurahan ini tidak berada di kecamatan yang dipilih."))
        cleaned["kecamatan"], cleaned["kelurahan"] = kecamatan, kelurahan
        incident = cleaned.get("incident_date")
        if incident and incident > timezone.localdate():
            self.add_error("incident_date", _("Tanggal kejadian tidak boleh di masa depan."))
        return cleaned

    def facts(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class RestrictForm(VersionedForm):
    restricted = forms.TypedChoiceField(
        coerce=lambda v: v == "yes", choices=[("yes", "yes"), ("no", "no")], widget=forms.HiddenInput
    )
    reason = forms.CharField(
        label=_("Alasan"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Misalnya: anak atau terduga pelaku berkerabat dengan petugas. Alasan disimpan terenkripsi."),
    )


class EnteredAfterFactForm(VersionedForm):
    reported_at = forms.DateTimeField(
        label=_("Tanggal laporan sebenarnya diterima kantor"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_(
            "Kasus dipindahkan ke periode tanggal ini di statistik dan rekap SIMFONI-PPA, mendapat nomor registrasi "
            "tahun dan bulan itu, dan batas waktu yang sudah lewat sebelum kasus dicatat tidak dihitung terlambat. "
            "Nomor lama dan tanggal pencatatan tetap ada di jejak audit."
        ),
    )


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label=_("Mengapa Anda perlu membuka berkas ini sekarang?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Alasan ini dicatat dan diberitahukan kepada semua supervisor."),
    )


class VictimForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    nik = forms.CharField(
        label=_("NIK"),
        required=False,
        max_length=16,
        validators=[validate_nik],
        help_text=_("Boleh kosong. 16 angka; bukan bukti identitas."),
    )
    violence_types = forms.MultipleChoiceField(
        label=_("Jenis kekerasan (SIMFONI)"), choices=ViolenceType.choices, widget=forms.CheckboxSelectMultiple
    )
    kelurahan = forms.ModelChoiceField(
        label=_("Kelurahan tempat tinggal"), required=False, queryset=Region.objects.none(), empty_label=_("— pilih —")
    )

    class Meta:
        model = Victim
        fields = [
            "name",
            "sex",
            "birth_date",
            "estimated_age",
            "nik",
            "kelurahan",
            "address",
            "guardian",
            "education",
            "occupation",
            "disability",
            "violence_types",
            "domestic",
            "needs",
        ]
        widgets = {
            "birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "address": forms.Textarea(attrs={"rows": 2}),
            "needs": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["estimated_age"].help_text = _(
            "Korban dewasa (18 tahun ke atas, misalnya ibu korban) juga dicatat; statistik anak hanya menghitung "
            "yang di bawah 18 tahun, dan perempuan dewasa dihitung terpisah seperti SIMFONI-PPA."
        )
        for name in ("education", "occupation", "sex"):
            self.fields[name].choices = [("", _("— pilih —")), *[c for c in self.fields[name].choices if c[0]]]
        self.fields["kelurahan"].queryset = Region.objects.filter(
            level__in=["kelurahan", "desa"], code__startswith=f"{settings.PERISAI_CITY_CODE}."
        ).order_by("name")

    def clean(self):
        cleaned = super().clean()
        incident = self.case.incident_date if self.case else None
        birth, nik = cleaned.get("birth_date"), cleaned.get("nik")
        if birth and nik and not self.errors.get("nik"):
            encoded = nik_birth_date(nik)
            if encoded and encoded != birth:
                self.add_error(
                    "birth_date",
                    _("Tanggal lahir tidak sama dengan yang tertulis di NIK (%(date)s).")
                    % {"date": encoded.strftime("%d-%m-%Y")},
                )
        age = None
        if birth:
            age = Victim(birth_date=birth).age_at(incident or timezone.localdate())
        elif cleaned.get("estimated_age") is not None:
            age = cleaned["estimated_age"]
        # UPTD PPA also serves women (a mother and her child are often victims in one case): an adult is recorded
        # like a child, and the statistics count her apart (stats.counting: children under 18 only).
        self.adult = age is not None and age >= 18
        if birth is None and cleaned.get("estimated_age") is None:
            self.add_error("estimated_age", _("Isi tanggal lahir atau perkiraan usia saat kejadian."))
        return cleaned


class PerpetratorForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Perpetrator
        fields = [
            "identity",
            "sex",
            "age",
            "is_child",
            "police_report_number",
            "police_report_date",
            "legal_stage",
            "court_decision",
        ]
        widgets = {
            "identity": forms.Textarea(attrs={"rows": 2}),
            "court_decision": forms.Textarea(attrs={"rows": 2}),
            "police_report_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The office's own list (admin), plus the stage already recorded if it has been retired since.
        self.fields["legal_stage"] = forms.ChoiceField(
            label=_("Tahap proses hukum"),
            required=False,
            choices=[("", "—"), *legal_stages.stage_choices(current=self.instance.legal_stage)],
        )
        self.victims = list(case.victims.all()) if case else []
        existing = {}
        if self.instance.pk:
            existing = {r.victim_id: r.relationship for r in self.instance.relationships.all()}
        for number, victim in enumerate(self.victims, start=1):
            label = _("Hubungan dengan korban %(n)s (%(name)s)") % {
                "n": number,
                "name": victim.name or _("(belum diketahui)"),
            }
            self.fields[f"rel_{victim.public_id}"] = forms.ChoiceField(
                label=label,
                choices=PerpetratorRelationship.choices,
                initial=existing.get(victim.pk, self.instance.relationship or PerpetratorRelationship.UNKNOWN),
            )

    def relationships(self) -> dict:
        return {victim: self.cleaned_data[f"rel_{victim.public_id}"] for victim in self.victims}

    def clean(self):
        cleaned = super().clean()
        age = cleaned.get("age")
        if age is not None and age < 18 and not cleaned.get("is_child"):
            self.add_error(
                "is_child",
                _(
                    "Terduga pelaku di bawah 18 tahun adalah anak berkonflik dengan hukum: "
                    "centang kolom ini (identitasnya juga dirahasiakan, UU SPPA)."
                ),
            )
        return cleaned


class TaskCompleteForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Hasil"))
    note = forms.CharField(
        label=_("Catatan"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, task=None, **kwargs):
        super().__init__(*args, **kwargs)
        police = task is not None and task.rule == deadlines.POLICE_REPORT
        # A legal claim is never preselected: the police-report outcome must be chosen.
        self.fields["outcome"].choices = (
            [("", _("— pilih hasil —")), *deadlines.POLICE_OUTCOMES] if police else deadlines.GENERAL_OUTCOMES
        )
        if police:
            self.fields["note"].help_text = _("Nomor laporan polisi, atau alasan penolakan.")


class AssessmentForm(forms.ModelForm):
    """A new version of the victim's assessment, starting from the last one."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Assessment
        fields = ["risk", "risk_reasons", *Assessment.PARTS]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in ["risk_reasons", *Assessment.PARTS]}
        help_texts = {
            "risk": _("Menentukan urutan kerja kasus: risiko tertinggi di antara korban menjadi risiko kasus."),
            "risk_reasons": _("Misalnya: terduga pelaku masih serumah, ancaman, anak ingin bunuh diri."),
            "child_view": _("Dengan kata-kata anak sendiri bila memungkinkan (UU Perlindungan Anak: hak didengar)."),
        }

    def __init__(self, *args, latest: Assessment | None = None, case=None, **kwargs):
        if latest is not None and not args and "data" not in kwargs:
            kwargs.setdefault("initial", {})
            kwargs["initial"] = {
                **{name: getattr(latest, name) for name in ["risk", "risk_reasons", *Assessment.PARTS]},
                **kwargs["initial"],
            }
        super().__init__(*args, **kwargs)
        self.fields["risk"].choices = [("", _("— pilih —")), *Risk.choices]


class TaskSnoozeForm(forms.Form):
    until = forms.DateTimeField(
        label=_("Tunda sampai"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Paling lama 14 hari. Batas waktunya tidak berubah."),
    )
    reason = forms.CharField(label=_("Alasan"), max_length=500)


class TaskAddForm(forms.Form):
    title = forms.CharField(label=_("Tugas"), max_length=200)
    due_at = forms.DateTimeField(label=_("Batas waktu"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))


class ServiceForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Service
        fields = ["victim", "service_type", "provider", "planned_on", "delivered_on", "outcome"]
        widgets = {
            "planned_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "delivered_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "outcome": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["victim"].queryset = case.victims.all() if case else Victim.objects.none()
        self.fields["victim"].label_from_instance = lambda victim: victim.name or _("(belum diketahui)")
        self.fields["provider"].queryset = Agency.objects.filter(is_active=True).order_by("kind", "name")

    def clean(self):
        cleaned = super().clean()
        planned, delivered = cleaned.get("planned_on"), cleaned.get("delivered_on")
        if not planned and not delivered:
            self.add_error("planned_on", _("Isi tanggal rencana atau tanggal diberikan."))
        return cleaned


class NoteForm(forms.Form):
    body = forms.CharField(label=_("Catatan baru"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 3}))


class TeamMemberForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Petugas"), queryset=User.objects.none(), empty_label=_("— pilih —"))
    team_role = forms.ChoiceField(label=_("Peran dalam tim"), choices=TeamRole.choices)

    def __init__(self, *args, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = case_managers(agency)
