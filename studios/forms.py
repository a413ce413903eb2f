from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.files import DOCUMENT_KINDS, EVIDENCE_KINDS, validate_upload_under
from core.forms import EARLIEST_DATE
from core.refusals import refuse

from .models import Enterprise, Leader, LeaderHonour, Member, Studio

#: R23: what a studio holding the title changes only through a rename request.
R23_READ_ONLY_HELP = _("Changed only through a rename request (Art. 23).")


class AreaField(forms.DecimalField):
    """R5's activity space in m², two decimals (19.99 is kept as typed and judged against 20).
    Whatever is wrong with what was typed, the refusal cites Article 5."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0)  # the model's floor, checked here so R5 is cited
        super().__init__(*args, **kwargs)

    def clean(self, value):
        try:
            return super().clean(value)
        except forms.ValidationError as exc:
            raise refuse("R5", " ".join(exc.messages)) from exc


def _make_read_only(form, name: str) -> None:
    """Show ``name`` read-only (R23). A browser does not post a disabled field; a post that
    sends a different value anyway is refused in ``_refuse_posted_change``."""
    field = form.fields[name]
    field.disabled = True
    field.help_text = R23_READ_ONLY_HELP


def _refuse_posted_change(form, name: str) -> None:
    posted = form.data.get(form.add_prefix(name))
    current = getattr(form.instance, name)
    if posted is not None and posted.strip() != (current or "").strip():
        form.add_error(
            name,
            refuse(
                "R23",
                _(
                    "the name and leader of a recognised studio change only through a rename "
                    "request."
                ),
            ),
        )


DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EnterpriseForm(forms.ModelForm):
    class Meta:
        model = Enterprise
        fields = [
            "name",
            "credit_code",
            "address",
            "industry",
            "registered_in_district",
            "pays_tax_in_district",
            "has_union",
            "union_affiliated_with_district",
            "contact_name",
            "contact_phone",
        ]

    def clean_credit_code(self):
        return self.cleaned_data["credit_code"].strip().upper()


class StudioForm(forms.ModelForm):
    class Meta:
        model = Studio
        fields = [
            "name",
            "type",
            "founded_on",
            "area_m2",
            "address",
            "equipment",
            "working_funds_cny",
            "introduction",
            "management_rules",
            "work_rules",
            "plan_and_goals",
        ]
        widgets = {
            "founded_on": DATE_INPUT,
            "equipment": forms.Textarea(attrs={"rows": 3}),
            "introduction": forms.Textarea(attrs={"rows": 4}),
        }
        field_classes = {"area_m2": AreaField}

    def __init__(self, *args, enterprise=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.enterprise = enterprise or getattr(self.instance, "enterprise", None)
        for name in Studio.DOCUMENT_FIELDS:
            self.fields[name].help_text = _("PDF or Office document, checked by content.")
        self.holds_title = bool(self.instance.pk) and self.instance.holds_title
        if self.holds_title:
            _make_read_only(self, "name")

    def clean(self):
        cleaned = super().clean()
        if self.holds_title:
            _refuse_posted_change(self, "name")
        return cleaned

    def clean_founded_on(self):
        founded = self.cleaned_data["founded_on"]
        # R9 counts the year of running from this date.
        if founded > timezone.localdate():
            raise refuse("R9", _("The founding date cannot be in the future."))
        if founded < EARLIEST_DATE:
            raise refuse(
                "R9", _("The founding date must be after %(date)s.") % {"date": EARLIEST_DATE}
            )
        return founded

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        qs = Studio.objects.filter(enterprise=self.enterprise, name=name)
        if self.instance.pk:
            qs = qs.exclude(pk=self.instance.pk)
        if self.enterprise is not None and qs.exists():
            raise forms.ValidationError(
                _("Your enterprise already has a studio of this name."), code="duplicate"
            )
        return name

    def _clean_document(self, name):
        upload = self.cleaned_data.get(name)
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            validate_upload_under("R6", upload, DOCUMENT_KINDS)
        return upload

    def clean_management_rules(self):
        return self._clean_document("management_rules")

    def clean_work_rules(self):
        return self._clean_document("work_rules")

    def clean_plan_and_goals(self):
        return self._clean_document("plan_and_goals")


class LeaderForm(forms.ModelForm):
    class Meta:
        model = Leader
        fields = [
            "name",
            "position",
            "phone",
            "expertise",
            "is_model_worker",
            "is_high_tech_talent",
            "is_high_skill_talent",
            "since",
        ]
        widgets = {"since": DATE_INPUT, "expertise": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, studio=None, **kwargs):
        super().__init__(*args, **kwargs)
        # R23: the leader in office of a studio holding the title is replaced (or renamed) only
        # through a rename request; the other details stay editable.
        self.holds_title = bool(self.instance.pk) and studio is not None and studio.holds_title
        if self.holds_title:
            _make_read_only(self, "name")

    def clean(self):
        cleaned = super().clean()
        if self.holds_title:
            _refuse_posted_change(self, "name")
        return cleaned


class HonourForm(forms.ModelForm):
    class Meta:
        model = LeaderHonour
        fields = ["kind", "title", "awarded_on", "evidence"]
        widgets = {"awarded_on": DATE_INPUT}

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if upload and hasattr(upload, "content_type"):
            validate_upload_under("R19", upload, EVIDENCE_KINDS)
        return upload


class MemberForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = [
            "name",
            "position",
            "talent_kind",
            "skill_level",
            "is_frontline",
            "joined_on",
            "left_on",
        ]
        widgets = {"joined_on": DATE_INPUT, "left_on": DATE_INPUT}
