from django import forms
from django.utils.translation import gettext_lazy as _

from core import limits
from core.files import DOCUMENT_KINDS, validate_upload_under
from core.forms import not_before_earliest
from core.refusals import refuse

from .models import (
    ApplicationProject,
    ApplicationResult,
    Call,
    MaterialKind,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class CallForm(forms.ModelForm):
    """The call and, per R18 material, whether the call lists it and whether it is required."""

    class Meta:
        model = Call
        fields = ["year", "title", "opens_at", "closes_at", "notes", "instructions"]
        widgets = {
            "opens_at": DATETIME_INPUT,
            "closes_at": DATETIME_INPUT,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    REQUIREMENT_CHOICES = [
        ("required", _("required")),
        ("optional", _("optional")),
        ("none", _("not requested")),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in ("opens_at", "closes_at"):
            self.fields[field].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        current = {}
        if self.instance.pk:
            current = {m.kind: m.required for m in self.instance.materials.all()}
        for kind, label in MaterialKind.choices:
            optional_by_default = kind in (MaterialKind.PHOTOS, MaterialKind.VIDEOS)
            initial = "optional" if optional_by_default else "required"
            if self.instance.pk:
                initial = (
                    "none" if kind not in current else ("required" if current[kind] else "optional")
                )
            self.fields[f"material_{kind}"] = forms.ChoiceField(
                label=label, choices=self.REQUIREMENT_CHOICES, initial=initial
            )

    # A year-1 time is a typing error, and Beijing's year 1 has no UTC equivalent to store (it
    # was a server error, found by the hostile-input tests).
    def clean_opens_at(self):
        opens = self.cleaned_data["opens_at"]
        not_before_earliest(opens.date())
        return opens

    def clean_closes_at(self):
        closes = self.cleaned_data["closes_at"]
        not_before_earliest(closes.date())
        return closes

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", refuse("R16", _("The call must close after it opens.")))
        return cleaned

    def clean_instructions(self):
        upload = self.cleaned_data.get("instructions")
        if upload and hasattr(upload, "content_type"):
            validate_upload_under("R16", upload, DOCUMENT_KINDS)
        return upload

    def call_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def materials(self) -> dict:
        chosen = {}
        for kind, _label in MaterialKind.choices:
            value = self.cleaned_data[f"material_{kind}"]
            if value != "none":
                chosen[kind] = value == "required"
        return chosen


class StartApplicationForm(forms.Form):
    studio = forms.ModelChoiceField(label=_("Studio"), queryset=None)

    def __init__(self, *args, studios, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["studio"].queryset = studios


class TalentForm(forms.Form):
    talent_cultivation = forms.CharField(
        max_length=limits.LONG_TEXT_MAX_CHARS,
        label=_("Talent cultivation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Training, master–apprentice pairs (名师带徒), members promoted or certified, "
            "and how the studio passes on skills."
        ),
    )


class ProjectForm(forms.ModelForm):
    class Meta:
        model = ApplicationProject
        fields = ["name", "started_on", "status", "applied_in_unit", "description"]
        widgets = {"started_on": DATE_INPUT, "description": forms.Textarea(attrs={"rows": 2})}


class ResultForm(forms.ModelForm):
    class Meta:
        model = ApplicationResult
        fields = ["title", "kind", "obtained_on", "applied_in_practice", "benefit"]
        widgets = {"obtained_on": DATE_INPUT, "benefit": forms.Textarea(attrs={"rows": 2})}


ProjectFormSet = forms.formset_factory(ProjectForm, extra=1, can_delete=True)
ResultFormSet = forms.formset_factory(ResultForm, extra=1, can_delete=True)


def formset_rows(formset) -> list[dict]:
    """Every row on the page the user kept, for a service that stores the whole list: the
    pre-filled rows whether changed or not (R18: re-saving a step must not lose what was saved),
    the extra rows the user filled in; not the rows ticked "Delete".

    An untouched extra row has empty ``cleaned_data`` (the formset skips it), so it adds nothing.
    Never filter on ``has_changed()`` here: an unchanged pre-filled row has not changed either."""
    return [
        {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class MaterialForm(forms.Form):
    kind = forms.ChoiceField(label=_("Material"), choices=MaterialKind.choices)
    file = forms.FileField(label=_("File"))


class CheckForm(forms.Form):
    """Formal check (形式审查): accept, return with a comment and deadline, or reject."""

    action = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("accept", _("Accept into review")),
            ("return", _("Return for correction")),
            ("reject", _("Reject")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        max_length=limits.SHORT_TEXT_MAX_CHARS,
        label=_("Comment or reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    resubmit_by = forms.DateField(label=_("Resubmit by"), required=False, widget=DATE_INPUT)
