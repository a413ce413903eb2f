from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from audit.admin_audit import AuditedAdmin

from .models import Notification, User


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    # R3: a role decides who may sign for which body; every change of it is audited.
    audit_fields = ["username", "role", "enterprise", "is_active", "is_staff", "is_superuser"]
    list_display = ["username", "display_name", "role", "enterprise", "is_active"]
    list_filter = ["role", "is_active"]
    fieldsets = BaseUserAdmin.fieldsets + (
        ("Portal", {"fields": ("role", "enterprise", "display_name", "phone", "language")}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        ("Portal", {"fields": ("role", "enterprise", "display_name", "email")}),
    )


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "title", "email_status", "read_at"]
    list_filter = ["kind", "email_status"]
