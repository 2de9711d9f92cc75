from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "shop", "verb", "object_repr"]
    list_filter = ["shop", "verb"]
    search_fields = ["object_repr", "verb"]
    list_select_related = ["actor", "shop"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
