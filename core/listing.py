"""The one way staff lists work: filter (django-filter), sort by a whitelisted column, paginate,
and export exactly the filtered rows to Excel with ``?export=xlsx``."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django_filters.views import FilterView

from .exports import xlsx_response


class FilteredListView(LoginRequiredMixin, FilterView):
    paginate_by = 25
    #: ``{"name": "name", "-founded": "-founded_on"}``: what ``?sort=`` may name.
    sort_fields: dict[str, str] = {}
    default_sort: str = ""
    export_filename: str = ""
    strict = False

    def get_sort_key(self) -> str:
        key = self.request.GET.get("sort", "")
        bare = key.lstrip("-")
        return key if bare in self.sort_fields else self.default_sort

    def get_ordering(self):
        key = self.get_sort_key()
        if not key:
            return None
        field = self.sort_fields[key.lstrip("-")]
        descending = key.startswith("-")
        return [f"-{field}" if descending else field, "pk"]

    def get_filterset_kwargs(self, filterset_class):
        """Sort the rows before filtering, whatever ``get_queryset`` a subclass defines."""
        kwargs = super().get_filterset_kwargs(filterset_class)
        ordering = self.get_ordering()
        if ordering:
            kwargs["queryset"] = kwargs["queryset"].order_by(*ordering)
        return kwargs

    def get_filterset(self, filterset_class):
        filterset = super().get_filterset(filterset_class)
        style_filter_form(filterset.form)
        return filterset

    def export_rows(self, queryset):
        """Return ``(headers, rows)`` for the Excel export; lists that export override it."""
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx" and self.export_filename:
            filterset = self.get_filterset(self.get_filterset_class())
            queryset = filterset.qs
            headers, rows = self.export_rows(queryset)
            return xlsx_response(self.export_filename, headers, rows)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        for key in ("page", "sort", "export"):
            params.pop(key, None)
        context["filter_query"] = params.urlencode()
        context["current_sort"] = self.get_sort_key()
        params_with_sort = params.copy()
        if context["current_sort"]:
            params_with_sort["sort"] = context["current_sort"]
        context["page_query"] = params_with_sort.urlencode()
        return context


def style_filter_form(form) -> None:
    """Give django-filter's widgets Bootstrap classes, so every filter bar looks the same."""
    for field in form.fields.values():
        widget = field.widget
        css = (
            "form-select form-select-sm"
            if getattr(widget, "input_type", "") == "select"
            or widget.__class__.__name__.endswith("Select")
            else "form-control form-control-sm"
        )
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


def per_page_of(request, sizes: tuple[int, ...], default: int) -> int:
    """``?per_page=`` when it names one of the offered sizes, else the default: a long list is
    paged, and a hand-typed 10**9 cannot make one request render everything."""
    try:
        value = int(request.GET.get("per_page", default))
    except ValueError:
        return default
    return value if value in sizes else default
