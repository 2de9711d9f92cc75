from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from helpdesk import clock

from .models import Membership, Shop, Team, User
from .services import access_revoke


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

    def save_model(self, request, obj, form, change):
        """Unticking "active" here ends the person's sessions and tokens, as the staff
        page's deactivation does."""
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            access_revoke(actor=request.user, user=obj, now=clock.now())


@admin.register(Shop)
class ShopAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "platform", "team", "is_active"]
    list_filter = ["platform", "team"]


admin.site.register(Team)
