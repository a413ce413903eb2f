from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.files import DOCUMENT_KINDS, EVIDENCE_KINDS, validate_upload
from core.forms import EARLIEST_DATE

from .models import Enterprise, Leader, LeaderHonour, Member, Studio

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

    def __init__(self, *args, enterprise=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.enterprise = enterprise or getattr(self.instance, "enterprise", None)
        for name in Studio.DOCUMENT_FIELDS:
            self.fields[name].help_text = _("PDF or Office document, checked by content.")

    def clean_founded_on(self):
        founded = self.cleaned_data["founded_on"]
        if founded > timezone.localdate():
            raise forms.ValidationError(_("The founding date cannot be in the future."))
        if founded < EARLIEST_DATE:
            raise forms.ValidationError(
                _("The founding date must be after %(date)s.") % {"date": EARLIEST_DATE}
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
            validate_upload(upload, DOCUMENT_KINDS)
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


class HonourForm(forms.ModelForm):
    class Meta:
        model = LeaderHonour
        fields = ["kind", "title", "awarded_on", "evidence"]
        widgets = {"awarded_on": DATE_INPUT}

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if upload and hasattr(upload, "content_type"):
            validate_upload(upload, EVIDENCE_KINDS)
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
