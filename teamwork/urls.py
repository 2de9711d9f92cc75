from django.urls import path

from . import tag_views, views

app_name = "teamwork"

urlpatterns = [
    path("webhooks/", views.webhook_settings, name="webhooks"),
    path("webhooks/<int:pk>/test/", views.webhook_test, name="webhook_test"),
    path("webhooks/<int:pk>/active/", views.webhook_active, name="webhook_active"),
    path("notes/<str:kind>/<int:pk>/", views.note_panel, name="notes"),
    path("tags/", tag_views.tag_list, name="tags"),
    path("tags/<int:pk>/", tag_views.tag_edit, name="tag_edit"),
    path("tags/on/<str:kind>/<int:pk>/", tag_views.tag_panel, name="tag_panel"),
]
