"""One form per ledger. The browser and the Excel import both validate through these, so a row
of a sheet is refused for exactly the reasons a typed entry would be."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.files import EVIDENCE_KINDS, validate_upload
from core.forms import not_before_earliest
from core.refusals import refuse

from .models import (
    Achievement,
    Activity,
    DevelopmentKind,
    InnovationProject,
    MemberDevelopment,
    Patent,
    ProjectStatus,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NOT_IN_FUTURE = _("A ledger records what has happened: this date is in the future.")


class LedgerForm(forms.ModelForm):
    """Limits member choices to the studio's own members and refuses dates in the future."""

    member_fields: tuple[str, ...] = ()
    past_date_fields: tuple[str, ...] = ()

    def __init__(self, *args, studio, **kwargs):
        super().__init__(*args, **kwargs)
        self.studio = studio
        for name in self.member_fields:
            self.fields[name].queryset = studio.members.order_by("name")
            self.fields[name].label_from_instance = _member_label

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        for name in self.past_date_fields:
            value = cleaned.get(name)
            if value and value > today:
                self.add_error(name, refuse("R22", NOT_IN_FUTURE))
        for name, field in self.fields.items():
            value = cleaned.get(name)
            if isinstance(field, forms.DateField) and value:
                try:
                    not_before_earliest(value)
                except forms.ValidationError as exc:
                    self.add_error(name, exc)
        return cleaned


def _member_label(member) -> str:
    if member.left_on is None:
        return member.name
    return _("%(name)s (former member)") % {"name": member.name}


class ActivityForm(LedgerForm):
    member_fields = ("participants",)
    past_date_fields = ("held_on",)
    evidence = forms.FileField(
        label=_("Photo or document"),
        required=False,
        help_text=_("A photo (JPEG, PNG, WebP), PDF or Office file, checked by content."),
    )

    class Meta:
        model = Activity
        fields = [
            "held_on",
            "kind",
            "title",
            "description",
            "participants",
            "other_participants",
            "hours",
        ]
        widgets = {
            "held_on": DATE_INPUT,
            "description": forms.Textarea(attrs={"rows": 3}),
            "participants": forms.CheckboxSelectMultiple,
        }

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if upload:
            validate_upload(upload, EVIDENCE_KINDS)
        return upload


class ProjectForm(LedgerForm):
    past_date_fields = ("started_on", "applied_on")

    class Meta:
        model = InnovationProject
        fields = [
            "title",
            "description",
            "started_on",
            "status",
            "applied_on",
            "benefit_cny",
            "benefit_text",
            "municipal_award",
        ]
        widgets = {
            "started_on": DATE_INPUT,
            "applied_on": DATE_INPUT,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        cleaned = super().clean()
        started, applied = cleaned.get("started_on"), cleaned.get("applied_on")
        if started and applied and applied < started:
            self.add_error("applied_on", refuse("R14a", _("A project is applied after it starts.")))
        if cleaned.get("status") == ProjectStatus.APPLIED and not applied:
            self.add_error(
                "applied_on",
                refuse("R14a", _("Give the date the project was applied in the unit (R14a).")),
            )
        return cleaned


class PatentForm(LedgerForm):
    member_fields = ("holders",)
    past_date_fields = ("filed_on", "granted_on")

    class Meta:
        model = Patent
        fields = [
            "number",
            "title",
            "kind",
            "filed_on",
            "granted_on",
            "holders",
            "other_holders",
            "municipal_award",
        ]
        widgets = {
            "filed_on": DATE_INPUT,
            "granted_on": DATE_INPUT,
            "holders": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "holders": _("R14b counts a patent only when a studio member is among the holders."),
        }

    def clean_number(self):
        number = self.cleaned_data["number"].strip().upper()
        others = Patent.objects.filter(studio=self.studio, number=number)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise refuse("R14b", _("This patent is already in the ledger."))
        return number

    def clean(self):
        cleaned = super().clean()
        filed, granted = cleaned.get("filed_on"), cleaned.get("granted_on")
        if filed and granted and granted < filed:
            self.add_error(
                "granted_on", refuse("R14b", _("A patent is granted after it is filed."))
            )
        if not cleaned.get("holders") and not (cleaned.get("other_holders") or "").strip():
            self.add_error("holders", refuse("R14b", _("Name at least one holder.")))
        return cleaned


class AchievementForm(LedgerForm):
    past_date_fields = ("achieved_on", "applied_on")

    class Meta:
        model = Achievement
        fields = ["kind", "title", "achieved_on", "applied_on", "description", "municipal_award"]
        widgets = {
            "achieved_on": DATE_INPUT,
            "applied_on": DATE_INPUT,
            "description": forms.Textarea(attrs={"rows": 3}),
        }


class DevelopmentForm(LedgerForm):
    member_fields = ("member", "mentor")
    past_date_fields = ("happened_on",)

    class Meta:
        model = MemberDevelopment
        fields = ["member", "kind", "happened_on", "description", "mentor", "hours"]
        widgets = {"happened_on": DATE_INPUT}

    def clean(self):
        cleaned = super().clean()
        kind, member, mentor = cleaned.get("kind"), cleaned.get("member"), cleaned.get("mentor")
        if kind == DevelopmentKind.APPRENTICESHIP:
            if not mentor:
                self.add_error(
                    "mentor", refuse("R14d", _("Name the master who takes the apprentice."))
                )
            elif mentor == member:
                self.add_error("mentor", refuse("R14d", _("A member cannot be their own master.")))
        if kind == DevelopmentKind.TRAINING and not cleaned.get("hours"):
            self.add_error("hours", refuse("R14d", _("Give the training hours.")))
        return cleaned
