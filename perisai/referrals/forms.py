"""Forms for referrals, operations and meetings. Services validate the rules; forms keep what was typed."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from perisai.accounts.choices import AgencyKind
from perisai.accounts.models import Agency
from perisai.cases import legal_stages
from perisai.cases.choices import LawfulBasis
from perisai.cases.models import Case
from perisai.core.simfoni import ServiceType
from perisai.referrals.choices import ActionType, SharedItem, Urgency
from perisai.referrals.sharing import initials


def partner_agencies():
    return Agency.objects.exclude(kind=AgencyKind.HOME_OFFICE).filter(is_active=True).order_by("name")


class ReferralForm(forms.Form):
    agencies = forms.ModelMultipleChoiceField(
        label=_("Rujuk ke"),
        queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Boleh lebih dari satu instansi; masing-masing menerima rujukan sendiri."),
        error_messages={"required": _("Pilih paling sedikit satu instansi mitra.")},
    )
    victim = forms.ChoiceField(label=_("Anak yang dirujuk"), required=False)
    service_type = forms.ChoiceField(label=_("Layanan yang diminta"), choices=ServiceType.choices)
    urgency = forms.ChoiceField(
        label=_("Tingkat urgensi"),
        choices=Urgency.choices,
        initial=Urgency.NORMAL,
        widget=forms.RadioSelect,
        help_text=_("Batas jawaban mitra: 24 jam bila mendesak, 72 jam bila biasa."),
    )
    reason = forms.CharField(
        label=_("Alasan dan permintaan"),
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Apa yang diminta dari mitra. Jangan tulis nama anak di sini; centang di bawah bila perlu."),
    )
    items = forms.MultipleChoiceField(
        label=_("Data tambahan yang dibagikan"),
        choices=SharedItem.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Selalu dibagikan: nomor registrasi, inisial, usia, jenis kelamin, kecamatan, jenis kekerasan dan "
            "permintaan ini. Centang hanya yang benar-benar dibutuhkan mitra."
        ),
    )
    documents = forms.MultipleChoiceField(
        label=_("Dokumen yang dibagikan"), required=False, widget=forms.CheckboxSelectMultiple
    )
    basis = forms.ChoiceField(
        label=_("Dasar berbagi data"),
        choices=[("", _("— belum ada —")), *LawfulBasis.choices],
        required=False,
        help_text=_("UU PDP: persetujuan orang tua/wali, atau kewajiban hukum kantor, dsb."),
    )
    basis_note = forms.CharField(
        label=_("Keterangan persetujuan"),
        max_length=2_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Siapa yang memberi persetujuan, kapan, dan bagaimana."),
    )
    override_reason = forms.CharField(
        label=_("Alasan mengirim tanpa dasar berbagi data (khusus supervisor)"),
        max_length=2_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, case: Case, documents=(), can_override: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["agencies"].queryset = partner_agencies()
        at = case.incident_date or timezone.localdate()
        self.victims = {str(v.public_id): v for v in case.victims.all()}
        self.fields["victim"].choices = [("", _("Seluruh anak dalam kasus ini"))] + [
            (key, f"{initials(v.name)} ({v.age_at(at) if v.age_at(at) is not None else '?'} th)")
            for key, v in self.victims.items()
        ]
        self.fields["documents"].choices = [(str(d.public_id), d.download_name) for d in documents]
        if not documents:
            del self.fields["documents"]
        if not can_override:
            del self.fields["override_reason"]
        if case.lawful_basis and not self.is_bound:
            self.initial.setdefault("basis", case.lawful_basis)

    def chosen_victim(self):
        return self.victims.get(self.cleaned_data.get("victim") or "")


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Alasan"), max_length=2_000, widget=forms.Textarea(attrs={"rows": 2}))


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Pesan"), max_length=5_000, widget=forms.Textarea(attrs={"rows": 3}))


class ActionForm(forms.Form):
    action_type = forms.ChoiceField(label=_("Tindakan"), choices=ActionType.choices)
    police_report_number = forms.CharField(
        label=_("Nomor laporan polisi"), max_length=80, required=False, help_text=_("Khusus kepolisian.")
    )
    legal_stage = forms.ChoiceField(label=_("Tahap proses hukum"), required=False)

    body = forms.CharField(
        label=_("Keterangan"), max_length=5_000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["legal_stage"].choices = [("", "—"), *legal_stages.stage_choices()]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action_type") == ActionType.POLICE_REPORT and not cleaned.get("police_report_number"):
            self.add_error("police_report_number", _("Isi nomor laporan polisi."))
        return cleaned


class CompleteForm(forms.Form):
    outcome = forms.CharField(label=_("Hasil"), max_length=5_000, widget=forms.Textarea(attrs={"rows": 3}))
    delivered_on = forms.DateField(
        label=_("Tanggal layanan diberikan"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    record_service = forms.BooleanField(label=_("Catat sebagai layanan pada kasus"), required=False, initial=True)
