from django.contrib import admin

from .models import Enterprise, Industry, Leader, LeaderHonour, Member, Studio


@admin.register(Industry)
class IndustryAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "supported"]
    list_editable = ["supported"]


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
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
class StudioAdmin(admin.ModelAdmin):
    list_display = ["name", "enterprise", "type", "status", "founded_on"]
    list_filter = ["type", "status"]
    search_fields = ["name", "enterprise__name"]
    readonly_fields = ["status"]
    inlines = [LeaderInline, MemberInline]


admin.site.register(LeaderHonour)
