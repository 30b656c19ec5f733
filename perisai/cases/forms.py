from django import forms
from django.utils.translation import gettext_lazy as _

from perisai.accounts.choices import Role
from perisai.accounts.models import User
from perisai.cases.choices import ApprovalKind, Authority, LawfulBasis, Risk


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


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label=_("Mengapa Anda perlu membuka berkas ini sekarang?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Alasan ini dicatat dan diberitahukan kepada semua supervisor."),
    )
