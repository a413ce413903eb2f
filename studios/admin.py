from django.contrib import admin

from audit.admin_audit import AuditedAdmin

from .models import Enterprise, Industry, Leader, LeaderHonour, Member, Studio


@admin.register(Industry)
class IndustryAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "supported"]
    list_editable = ["supported"]


@admin.register(Enterprise)
class EnterpriseAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["name", "credit_code", "industry", "union_affiliated_with_district"]
    search_fields = ["name", "credit_code"]
    list_filter = ["industry", "union_affiliated_with_district"]


class LeaderInline(admin.TabularInline):
    model = Leader
    extra = 0


class MemberInline(admin.TabularInline):
    model = Member
    extra = 0


@admin.register(Studio)
class StudioAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["name", "enterprise", "type", "status", "founded_on"]
    list_filter = ["type", "status"]
    search_fields = ["name", "enterprise__name"]
    readonly_fields = ["status"]
    inlines = [LeaderInline, MemberInline]


@admin.register(LeaderHonour)
class LeaderHonourAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["leader", "kind", "title"]
