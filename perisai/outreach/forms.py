from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from perisai.accounts.choices import AgencyKind
from perisai.accounts.models import Agency, User
from perisai.accounts.selectors import active_agencies
from perisai.cases.choices import LawfulBasis, Risk
from perisai.cases.forms import case_managers
from perisai.core.simfoni import PlaceOfOccurrence, ServiceType, Sex
from perisai.outreach.choices import ChildSituation
from perisai.outreach.models import OutreachChild
from perisai.referrals.choices import SharedItem
from perisai.regions import selectors as regions
from perisai.reports.choices import Harm


class OperationForm(forms.Form):
    held_on = forms.DateField(
        label=_("Tanggal operasi"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    kecamatan = forms.ChoiceField(label=_("Kecamatan"))
    location = forms.CharField(label=_("Lokasi"), max_length=200, help_text=_("Misalnya: simpang lampu merah, pasar."))
    agencies = forms.ModelMultipleChoiceField(
        label=_("Instansi yang ikut"),
        queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Pilih paling sedikit satu instansi yang ikut.")},
    )
    team = forms.CharField(label=_("Tim"), max_length=300, required=False)
    notes = forms.CharField(
        label=_("Catatan"), max_length=5_000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = active_agencies()
        self.fields["kecamatan"].choices = [("", "—")] + [(k.code, k.name) for k in regions.kecamatan_of_city()]

    def clean_kecamatan(self):
        region = regions.kecamatan_of_city().filter(code=self.cleaned_data["kecamatan"]).first()
        if region is None:
            raise forms.ValidationError(_("Pilih kecamatan dari daftar."))
        return region


class ChildForm(forms.Form):
    name = forms.CharField(label=_("Nama atau inisial"), max_length=150, required=False)
    estimated_age = forms.IntegerField(label=_("Perkiraan usia"), min_value=0, max_value=17, required=False)
    sex = forms.ChoiceField(label=_("Jenis kelamin"), choices=[("", "—"), *Sex.choices], required=False)
    situation = forms.ChoiceField(label=_("Keadaan anak"), choices=ChildSituation.choices)
    note = forms.CharField(
        label=_("Catatan"), max_length=2_000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ChildrenListForm(forms.Form):
    """Several children in one go: a line each, "name or initials, age, L/P" (age and sex may be left out)."""

    children = forms.CharField(
        label=_("Anak yang ditemui, satu baris per anak"),
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Tulis: nama atau inisial, usia, L/P. Contoh: Andi, 12, L. Usia dan jenis kelamin boleh dilewati."),
    )
    situation = forms.ChoiceField(label=_("Keadaan anak-anak ini"), choices=ChildSituation.choices)

    def clean_children(self) -> list[dict]:
        children, problems = [], []
        for number, line in enumerate(self.cleaned_data["children"].splitlines(), start=1):
            parts = [part.strip() for part in line.split(",")]
            if not any(parts):
                continue
            name, age, sex = [*parts, "", "", ""][:3]
            child = {"name": name[:150], "estimated_age": None, "sex": ""}
            if age:
                if not (age.isascii() and age.isdigit()) or int(age) > 17:
                    problems.append(_("Baris %(n)s: usia harus angka 0 sampai 17.") % {"n": number})
                else:
                    child["estimated_age"] = int(age)
            if sex:
                code = {"l": "l", "p": "p", "laki-laki": "l", "perempuan": "p"}.get(sex.lower())
                if code is None:
                    problems.append(_("Baris %(n)s: jenis kelamin ditulis L atau P.") % {"n": number})
                else:
                    child["sex"] = code
            if len(parts) > 3:
                problems.append(_("Baris %(n)s: paling banyak tiga bagian (nama, usia, L/P).") % {"n": number})
            children.append(child)
        if problems:
            raise forms.ValidationError(problems)
        if not children:
            raise forms.ValidationError(_("Tulis paling sedikit satu anak."))
        return children


class CasesFromOperationForm(forms.Form):
    """The chosen children become cases with the facts they share given once, and may be referred together."""

    children = forms.ModelMultipleChoiceField(
        label=_("Anak yang dijadikan kasus"),
        queryset=OutreachChild.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Pilih paling sedikit satu anak.")},
    )
    incident_date = forms.DateField(
        label=_("Tanggal kejadian"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    place = forms.ChoiceField(label=_("Tempat kejadian"), choices=PlaceOfOccurrence.choices)
    harm = forms.ChoiceField(label=_("Apa yang terjadi"), choices=Harm.choices)
    action_taken = forms.CharField(
        label=_("Tindakan tim di lokasi"),
        max_length=2_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Misalnya: anak dibawa ke shelter Dinas Sosial, orang tua dipanggil."),
    )
    risk = forms.ChoiceField(label=_("Tingkat risiko"), choices=Risk.choices, initial=Risk.MEDIUM)
    case_manager = forms.ModelChoiceField(
        label=_("Pendamping"), queryset=User.objects.none(), required=False, empty_label=_("— tetapkan nanti —")
    )
    refer_to = forms.ModelChoiceField(
        label=_("Rujuk semua ke"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=_("— tidak dirujuk sekarang —"),
        help_text=_("Satu rujukan per kasus, dengan dasar berbagi data yang sama."),
    )
    service_type = forms.ChoiceField(label=_("Layanan yang diminta"), choices=ServiceType.choices, required=False)
    basis = forms.ChoiceField(label=_("Dasar berbagi data"), choices=[("", "—"), *LawfulBasis.choices], required=False)
    basis_note = forms.CharField(
        label=_("Keterangan dasar berbagi data"),
        max_length=2_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    items = forms.MultipleChoiceField(
        label=_("Dibagikan selain data minimum"),
        choices=[(k, v) for k, v in SharedItem.choices if k != SharedItem.DOCUMENTS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, operation=None, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        waiting = operation.children.filter(report__isnull=True) if operation else OutreachChild.objects.none()
        self.fields["children"].queryset = waiting
        self.fields["children"].label_from_instance = lambda child: (
            f"{child.name or _('(tanpa nama)')} · {child.estimated_age if child.estimated_age is not None else '-'}"
            f" · {child.get_situation_display()}"
        )
        if not self.is_bound and operation is not None:
            self.initial.setdefault("children", list(waiting))
            self.initial.setdefault("incident_date", operation.held_on)
            self.initial.setdefault("place", PlaceOfOccurrence.PUBLIC_FACILITY)
            self.initial.setdefault("harm", Harm.WORK)
        self.fields["case_manager"].queryset = case_managers(agency)
        self.fields["refer_to"].queryset = active_agencies().exclude(kind=AgencyKind.HOME_OFFICE)
        self.fields["service_type"].initial = ServiceType.SOCIAL_REHABILITATION

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("refer_to") and not cleaned.get("service_type"):
            self.add_error("service_type", _("Pilih layanan yang diminta dari instansi itu."))
        return cleaned
