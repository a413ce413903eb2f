from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import limits, policy

from .forms import DATE_INPUT
from .lifecycle import ACTIONS, A, allowed_actions
from .lifecycle_models import R32Reason, RenameRequest

#: Moves staff record by hand on the studio page (renames come through requests).
STAFF_ACTIONS = [action for action in ACTIONS if action != A.RENAME]


class LifecycleActionForm(forms.Form):
    """Staff record a decision on a studio: only the moves the table allows from its state are
    offered; what each needs (deadline, Star, R32 reasons) is checked by the lifecycle."""

    action = forms.ChoiceField(label=_("Decision"))
    on = forms.DateField(label=_("Effective on"), widget=DATE_INPUT)
    deadline = forms.DateField(
        label=_("Rectification deadline (Article 25)"), required=False, widget=DATE_INPUT
    )
    star = forms.BooleanField(
        label=_("Award the Innovation Vitality Star (Article 25)"), required=False
    )
    reasons = forms.TypedMultipleChoiceField(
        label=_("Revocation reasons (Article 32)"),
        choices=R32Reason.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(
        max_length=limits.SHORT_TEXT_MAX_CHARS,
        label=_("Grounds and notes"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, studio, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [
            (a, ACTIONS[a].label) for a in allowed_actions(studio.status) if a in STAFF_ACTIONS
        ]


class RenameRequestForm(forms.ModelForm):
    class Meta:
        model = RenameRequest
        fields = [
            "new_name",
            "new_leader_name",
            "new_leader_position",
            "new_leader_is_model_worker",
            "new_leader_is_high_tech_talent",
            "new_leader_is_high_skill_talent",
            "reason",
        ]
        widgets = {"reason": forms.Textarea(attrs={"rows": 3})}


class RenameDecisionForm(forms.Form):
    on = forms.DateField(label=_("Effective on"), widget=DATE_INPUT)
    note = forms.CharField(
        max_length=limits.SHORT_TEXT_MAX_CHARS,
        label=_("Decision note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("on", timezone.localdate())
        super().__init__(*args, **kwargs)


class MunicipalRecommendationForm(forms.Form):
    on = forms.DateField(label=_("Recommended on"), widget=DATE_INPUT)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("on", timezone.localdate())
        super().__init__(*args, **kwargs)


def window_months(request) -> int:
    """The expiry window asked for on the schedule page (``?window=`` calendar months), within
    reason (one month to a whole cycle)."""
    default = policy.R24_DEFAULT_EXPIRY_WINDOW_MONTHS
    try:
        months = int(request.GET.get("window", default))
    except ValueError:
        return default
    return min(max(months, 1), 12 * policy.R24_CYCLE_YEARS)
