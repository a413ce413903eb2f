import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from studios.models import StudioType

from .models import Application, ApplicationStatus, Call


class ApplicationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    call = django_filters.ModelChoiceFilter(queryset=Call.objects.all(), label=_("Call"))
    status = django_filters.ChoiceFilter(choices=ApplicationStatus.choices, label=_("Status"))
    type = django_filters.ChoiceFilter(
        field_name="studio__type", choices=StudioType.choices, label=_("Studio type")
    )

    class Meta:
        model = Application
        fields = ["q", "call", "status", "type"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(number__icontains=value)
            | Q(studio__name__icontains=value)
            | Q(studio__enterprise__name__icontains=value)
        )
