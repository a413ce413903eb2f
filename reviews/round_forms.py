"""Forms of the review-round pages. They validate shapes; the rules (conflicts, states,
ranges, who may sign) are the services' and come back onto the form as errors."""

from decimal import Decimal

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from core import limits
from core.validators import no_control_characters
from studios.models import HonourKind, Studio

from .forms import formset_rows
from .models import Call
from .round_models import (
    OUTCOMES_BY_KIND,
    AggregationMethod,
    Criterion,
    DecisionOutcome,
    ExpertProfile,
    HonourCorrection,
    ReviewRound,
    RoundKind,
    RoundStage,
)
from .round_services import STUDIO_STATUSES_BY_KIND

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

#: The honours R19 gives points for, in the Measures' order.
R19_HONOURS = [
    HonourKind.BEIJING_MODEL_WORKER,
    HonourKind.BEIJING_GRAND_CRAFTSMAN,
    HonourKind.GRAND_CRAFTSMAN_NOMINATION,
    HonourKind.YICHENG_TALENT,
    HonourKind.YICHENG_CRAFTSMAN,
]


class RoundCommonForm(forms.Form):
    name = forms.CharField(
        label=_("Round name"), max_length=200, required=False, validators=[no_control_characters]
    )
    scoring_deadline = forms.DateField(label=_("Scoring deadline"), widget=DATE)
    experts_per_entry = forms.IntegerField(
        label=_("Experts per entry"), min_value=1, max_value=15, initial=3
    )
    method = forms.ChoiceField(
        label=_("Aggregation"),
        choices=AggregationMethod.choices,
        initial=AggregationMethod.TRIMMED_MEAN,
    )

    def round_data(self) -> dict:
        return {
            k: self.cleaned_data[k] for k in ("scoring_deadline", "experts_per_entry", "method")
        }


class RoundFromCallForm(RoundCommonForm):
    call = forms.ModelChoiceField(label=_("Call"), queryset=Call.objects.order_by("-year"))

    field_order = ["call", "name", "scoring_deadline", "experts_per_entry", "method"]


class StudioChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, studio):
        return f"{studio.name} · {studio.enterprise.name} · {studio.get_status_display()}"


class RoundFromStudiosForm(RoundCommonForm):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(k, v) for k, v in RoundKind.choices if k != RoundKind.INITIAL],
    )
    studios = StudioChoice(
        label=_("Studios"),
        queryset=Studio.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Recognised studios due for the kind of review chosen."),
    )

    field_order = ["kind", "studios", "name", "scoring_deadline", "experts_per_entry", "method"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        statuses = {s for group in STUDIO_STATUSES_BY_KIND.values() for s in group}
        self.fields["studios"].queryset = (
            Studio.objects.filter(status__in=statuses)
            .select_related("enterprise")
            .order_by("status", "name")
        )


class RoundSettingsForm(forms.ModelForm):
    class Meta:
        model = ReviewRound
        fields = [
            "name",
            "scoring_deadline",
            "experts_per_entry",
            "method",
            "spread_threshold",
            "bonus_cap",
        ]
        widgets = {"scoring_deadline": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        values = self.instance.bonus_values or {}
        for kind in R19_HONOURS:
            self.fields[f"bonus_{kind}"] = forms.DecimalField(
                label=format_bonus_label(kind),
                min_value=Decimal("0"),
                max_digits=5,
                decimal_places=2,
                initial=Decimal(str(values.get(kind, "0"))),
            )
        if not self.instance.rubric_editable:
            for name in ["bonus_cap", *(f"bonus_{k}" for k in R19_HONOURS)]:
                self.fields[name].disabled = True

    def service_data(self) -> dict:
        data = {k: self.cleaned_data[k] for k in self.Meta.fields}
        data["bonus_values"] = {k: str(self.cleaned_data[f"bonus_{k}"]) for k in R19_HONOURS}
        return data


def format_bonus_label(kind) -> str:
    return _("Bonus: %(honour)s") % {"honour": HonourKind(kind).label}


class CriterionForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = ["name_zh", "name_en", "description", "max_points", "weight", "comment_required"]
        widgets = {"description": forms.TextInput()}


CriterionFormSet = formset_factory(CriterionForm, extra=1, can_delete=True)


def rubric_rows(formset) -> list[dict]:
    """Every criterion on the page, changed or not, but not those ticked "Delete": the service
    replaces the whole rubric with them (the wizard's rule, ``reviews.forms.formset_rows``)."""
    return formset_rows(formset)


class StageForm(forms.ModelForm):
    photo = forms.FileField(label=_("Add a photo"), required=False)

    class Meta:
        model = RoundStage
        fields = ["starts_on", "ends_on", "place", "attendees", "minutes"]
        widgets = {
            "starts_on": DATE,
            "ends_on": DATE,
            "attendees": forms.Textarea(attrs={"rows": 2}),
            "minutes": forms.Textarea(attrs={"rows": 5}),
        }


class HonourCorrectionForm(forms.ModelForm):
    honour_kind = forms.ChoiceField(
        label=_("Honour"), choices=[(k.value, k.label) for k in R19_HONOURS]
    )
    evidence = forms.FileField(label=_("Evidence (PDF or photo)"))

    class Meta:
        model = HonourCorrection
        fields = ["action", "honour_kind", "evidence", "reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 2})}


class ExpertChoice(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return str(user)


class AssignForm(forms.Form):
    expert = ExpertChoice(
        label=_("Expert"),
        queryset=User.objects.filter(role=Role.EXPERT, is_active=True).order_by("username"),
    )


class ExpertProfileForm(forms.ModelForm):
    class Meta:
        model = ExpertProfile
        fields = ["field", "employer", "employer_name", "phone", "active"]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        max_length=limits.SHORT_TEXT_MAX_CHARS,
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), widget=forms.RadioSelect)
    rectification_deadline = forms.DateField(
        label=_("Rectification deadline"), required=False, widget=DATE
    )
    reason = forms.CharField(
        max_length=limits.SHORT_TEXT_MAX_CHARS,
        label=_("Reasons"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [
            (o.value, o.label) for o in (DecisionOutcome(v) for v in OUTCOMES_BY_KIND[kind])
        ]
        if DecisionOutcome.RECTIFY not in OUTCOMES_BY_KIND[kind]:
            del self.fields["rectification_deadline"]


SCORE_MAX_DIGITS = 6  # CriterionScore.points


def score_points(form, criteria) -> dict:
    """The points the expert typed that the form accepts — finite, at most two decimals, within
    the criterion's range — by criterion id; boxes left empty or refused are left out."""
    form.is_valid()
    return {
        c.pk: form.cleaned_data[f"points_{c.pk}"]
        for c in criteria
        if f"points_{c.pk}" not in form.errors
        and form.cleaned_data.get(f"points_{c.pk}") is not None
    }


def score_fields(criteria, data=None, initial=None):
    """Build the expert's score form from the round's rubric: one number and one comment per
    criterion, the number bounded by the criterion's maximum."""

    class ScoreForm(forms.Form):
        pass

    form = ScoreForm(data=data, initial=initial or {})
    for c in criteria:
        # Django's DecimalField refuses Infinity and NaN; max_digits (the stored column's)
        # refuses a thousand-digit number before any arithmetic is done with it.
        form.fields[f"points_{c.pk}"] = forms.DecimalField(
            label=c.name_zh,
            required=False,
            min_value=Decimal("0"),
            max_value=c.max_points,
            max_digits=SCORE_MAX_DIGITS,
            decimal_places=2,
            widget=forms.NumberInput(
                attrs={"step": "0.5", "min": "0", "max": str(c.max_points), "class": "score-input"}
            ),
        )
        form.fields[f"comment_{c.pk}"] = forms.CharField(
            max_length=limits.SHORT_TEXT_MAX_CHARS,
            label=_("Comment"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
        )
    return form
