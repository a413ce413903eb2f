from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from core.listing import FilteredListView

from .filters import AuditEventFilter
from .models import AuditEvent
from .registry import visible_to
from .services import verify_chain


class AuditEventListView(FilteredListView):
    template_name = "audit/event_list.html"
    filterset_class = AuditEventFilter
    sort_fields = {"at": "at", "action": "action"}
    default_sort = "-at"
    paginate_by = 50
    export_filename = "audit-log"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm("audit.view_log"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        # Auditors read money and decisions; staff everything (``audit.registry``).
        return visible_to(AuditEvent.objects.select_related("actor"), self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.request.GET.get("verify"):
            context["chain_broken_at"] = verify_chain()
            context["chain_checked"] = True
        return context

    def export_rows(self, queryset):
        headers = [
            _("When"),
            _("Who"),
            _("Action"),
            _("Object"),
            _("Rule"),
            _("Reason"),
            _("Before"),
            _("After"),
            _("Hash"),
        ]
        rows = (
            [
                e.at,
                str(e.actor or ""),
                e.action,
                e.object_repr,
                e.rule,
                e.reason,
                e.before,
                e.after,
                e.hash,
            ]
            for e in queryset.iterator(chunk_size=2000)
        )
        return headers, rows
