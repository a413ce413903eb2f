from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from audit.admin_audit import AuditedAdmin

from .models import Notification, User


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    # R3: a role decides who may sign for which body; every change of it is audited.
    audit_fields = ["username", "role", "enterprise", "is_active", "is_staff", "is_superuser"]
    list_display = ["username", "display_name", "role", "enterprise", "is_active"]
    list_filter = ["role", "is_active", "must_change_password"]
    fieldsets = BaseUserAdmin.fieldsets + (
        (
            "Portal",
            {
                "fields": (
                    "role",
                    "enterprise",
                    "display_name",
                    "phone",
                    "language",
                    "must_change_password",
                )
            },
        ),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        ("Portal", {"fields": ("role", "enterprise", "display_name", "email")}),
    )

    def save_model(self, request, obj, form, change):
        if not change:  # created here: the administrator knows the first password
            obj.must_change_password = True
        super().save_model(request, obj, form, change)

    def user_change_password(self, request, id, form_url=""):
        """A password an administrator sets for someone else is known to two people: its owner
        must replace it at their next login."""
        response = super().user_change_password(request, id, form_url)
        saved = request.method == "POST" and response.status_code == 302
        if saved and str(id) != str(request.user.pk):
            User.objects.filter(pk=id).update(must_change_password=True)
        return response


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "title", "email_status", "read_at"]
    list_filter = ["kind", "email_status"]
