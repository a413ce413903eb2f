import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Enterprise, Industry, Studio, StudioStatus, StudioType


class StudioFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    type = django_filters.ChoiceFilter(choices=StudioType.choices, label=_("Type"))
    status = django_filters.ChoiceFilter(choices=StudioStatus.choices, label=_("Status"))
    # A name to type, not a list to scroll: a district has a thousand enterprises.
    enterprise = django_filters.CharFilter(
        field_name="enterprise__name", lookup_expr="icontains", label=_("Enterprise")
    )

    class Meta:
        model = Studio
        fields = ["q", "type", "status", "enterprise"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(enterprise__name__icontains=value))


class EnterpriseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    industry = django_filters.ModelChoiceFilter(
        queryset=Industry.objects.all(), label=_("Industry")
    )
    union_affiliated_with_district = django_filters.BooleanFilter(
        label=_("Union affiliated with the district")
    )

    class Meta:
        model = Enterprise
        fields = ["q", "industry", "union_affiliated_with_district"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(credit_code__icontains=value))


class ScheduleFilter(django_filters.FilterSet):
    """The lifecycle schedules: search and type; ``window`` (calendar months) is read by the
    view."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    type = django_filters.ChoiceFilter(choices=StudioType.choices, label=_("Type"))
    window = django_filters.NumberFilter(
        method="keep", label=_("Expiry window (months)"), min_value=1
    )

    class Meta:
        model = Studio
        fields = ["q", "type", "window"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(enterprise__name__icontains=value))

    def keep(self, queryset, name, value):
        return queryset
