from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Membership, Shop, Team, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("客服", {"fields": ("team", "work_number", "display_name")}),
    )
    list_display = ["username", "display_name", "work_number", "team", "is_active"]
    list_filter = ["team", "is_active"]
    inlines = [MembershipInline]


@admin.register(Shop)
class ShopAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "platform", "team", "is_active"]
    list_filter = ["platform", "team"]


admin.site.register(Team)
