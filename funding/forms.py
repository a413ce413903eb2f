import uuid
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import limits
from core.files import EVIDENCE_KINDS, validate_upload
from core.forms import not_before_earliest
from core.refusals import refuse
from core.validators import no_control_characters
from ledgers.models import InnovationProject

from .models import ExpenditureCategory, ProhibitedBehaviour

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def happened_on(value):
    """R27: the accounts record what happened, open to audit; no money moves in the future."""
    if value > timezone.localdate():
        raise refuse("R27", _("This date is in the future: record what has happened."))
    not_before_earliest(value)


def past_date(label, **kwargs):
    return forms.DateField(label=label, widget=DATE, validators=[happened_on], **kwargs)


def money(label, **kwargs):
    return forms.DecimalField(
        label=label, max_digits=12, decimal_places=2, min_value=Decimal("0.01"), **kwargs
    )


class EvidenceFileField(forms.FileField):
    """A receipt, voucher or evidence file: a photo, PDF or Office document, checked by content."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and hasattr(upload, "read"):
            validate_upload(upload, EVIDENCE_KINDS)
        return upload


class OneTimeForm(forms.Form):
    """A form that carries a token issued when it was shown: submitting it twice (a double
    click, a browser retry) records one row, because the token is unique on the record."""

    form_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("form_token", uuid.uuid4())
        super().__init__(*args, **kwargs)

    def clean(self):
        """A missing or mangled token is a hidden field's error, which no one would see: say it
        where the user reads, and hand out a fresh token for the next attempt."""
        data = super().clean()
        if "form_token" in self.errors:
            del self.errors["form_token"]
            self.data = self.data.copy()
            self.data["form_token"] = str(uuid.uuid4())
            self.add_error(None, _("This form had expired. Check it and submit it again."))
        return data


class DisbursementForm(OneTimeForm):
    paid_on = past_date(_("payment date"), initial=timezone.localdate)
    amount = money(_("amount (CNY)"))
    voucher_number = forms.CharField(label=_("voucher number"), max_length=64)
    bank_reference = forms.CharField(label=_("bank reference"), max_length=64, required=False)
    attachment = EvidenceFileField(label=_("attachment"), required=False)


class ExpenditureForm(OneTimeForm):
    """R27/R28: spending of the studio's own grant, on one of its innovation projects."""

    spent_on = past_date(_("date"), initial=timezone.localdate)
    category = forms.ChoiceField(label=_("category (R28)"), choices=ExpenditureCategory.choices)
    amount = money(_("amount (CNY)"))
    payee = forms.CharField(label=_("payee"), max_length=200, validators=[no_control_characters])
    purpose = forms.CharField(
        max_length=limits.CELL_TEXT_MAX_CHARS,
        label=_("purpose"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    project = forms.ModelChoiceField(
        label=_("innovation project (ledger)"),
        queryset=InnovationProject.objects.none(),
        required=False,
        help_text=_("Choose the project from the studio's achievement ledger, or name it below."),
    )
    project_name = forms.CharField(
        label=_("linked innovation project"),
        max_length=200,
        required=False,
        validators=[no_control_characters],
    )
    receipt = EvidenceFileField(label=_("receipt"))

    def __init__(self, *args, studio=None, **kwargs):
        super().__init__(*args, **kwargs)
        if studio is not None:
            self.fields["project"].queryset = InnovationProject.objects.filter(
                studio=studio
            ).order_by("-started_on", "title")

    def clean(self):
        cleaned = super().clean()
        project, name = cleaned.get("project"), (cleaned.get("project_name") or "").strip()
        if project is None and not name:
            self.add_error(
                "project_name",
                refuse("R27", _("say which innovation project the money was spent on.")),
            )
        cleaned["project_name"] = name or (project.title if project else "")
        return cleaned


class ReasonForm(forms.Form):
    reason = forms.CharField(
        max_length=limits.CELL_TEXT_MAX_CHARS,
        label=_("reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RejectForm(forms.Form):
    note = forms.CharField(
        max_length=limits.SHORT_TEXT_MAX_CHARS,
        label=_("reason for rejecting"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RepaymentForm(OneTimeForm):
    received_on = past_date(_("received on"), initial=timezone.localdate)
    amount = money(_("amount (CNY)"))
    receipt = EvidenceFileField(label=_("receipt"))


class ViolationForm(forms.Form):
    """An R29 finding and the sanctions it brings."""

    behaviour = forms.ChoiceField(
        label=_("prohibited behaviour (R29)"), choices=ProhibitedBehaviour.choices
    )
    found_on = past_date(_("found on"), initial=timezone.localdate)
    description = forms.CharField(
        max_length=limits.LONG_TEXT_MAX_CHARS,
        label=_("finding"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    evidence = EvidenceFileField(label=_("evidence"))
    suspend = forms.BooleanField(label=_("Suspend disbursement and use of funds"), required=False)
    recover_grant = forms.ModelChoiceField(
        label=_("Recover paid funds of grant"), queryset=None, required=False
    )
    recover_amount = money(_("amount to recover (CNY)"), required=False)
    cancel_grant = forms.ModelChoiceField(
        label=_("Cancel the grant"), queryset=None, required=False
    )
    bar_until = forms.DateField(
        label=_("Bar re-application until (inclusive)"), widget=DATE, required=False
    )

    def __init__(self, *args, grants=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recover_grant"].queryset = grants
        self.fields["cancel_grant"].queryset = grants.filter(status="active")

    def clean(self):
        data = super().clean()
        if bool(data.get("recover_grant")) != bool(data.get("recover_amount")):
            self.add_error(
                "recover_amount",
                refuse("R29", _("To recover funds, choose the grant and the amount.")),
            )
        return data

    def sanctions(self) -> dict:
        data = self.cleaned_data
        return {
            "suspend": data.get("suspend"),
            "recover": (data["recover_grant"], data["recover_amount"])
            if data.get("recover_grant")
            else None,
            "cancel": data.get("cancel_grant"),
            "bar_until": data.get("bar_until"),
        }


PERIOD_DATE = forms.DateInput(
    attrs={"type": "date", "class": "form-control form-control-sm"}, format="%Y-%m-%d"
)


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("from"), widget=PERIOD_DATE)
    end = forms.DateField(label=_("to"), widget=PERIOD_DATE)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise refuse("R27", _("The period must start before it ends."))
        return data
