from django.urls import path

from . import routing_views, tag_views, views

app_name = "teamwork"

urlpatterns = [
    path("webhooks/", views.webhook_settings, name="webhooks"),
    path("webhooks/<int:pk>/test/", views.webhook_test, name="webhook_test"),
    path("webhooks/<int:pk>/active/", views.webhook_active, name="webhook_active"),
    path("notes/<str:kind>/<int:pk>/", views.note_panel, name="notes"),
    path("tags/", tag_views.tag_list, name="tags"),
    path("tags/<int:pk>/", tag_views.tag_edit, name="tag_edit"),
    path("tags/on/<str:kind>/<int:pk>/", tag_views.tag_panel, name="tag_panel"),
    path("routing/", routing_views.routing_page, name="routing"),
    path("routing/rules/", routing_views.rule_new, name="rule_new"),
    path("routing/rules/<int:pk>/", routing_views.rule_change, name="rule_change"),
    path("routing/rules/<int:pk>/edit/", routing_views.rule_edit, name="rule_edit"),
    path("routing/groups/", routing_views.group_new, name="group_new"),
    path("routing/groups/<int:pk>/edit/", routing_views.group_edit, name="group_edit"),
    path("routing/groups/<int:pk>/queue/", routing_views.group_queue, name="group_queue"),
]
