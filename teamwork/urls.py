from django.urls import path

from . import views

app_name = "teamwork"

urlpatterns = [
    path("webhooks/", views.webhook_settings, name="webhooks"),
    path("webhooks/<int:pk>/test/", views.webhook_test, name="webhook_test"),
    path("webhooks/<int:pk>/active/", views.webhook_active, name="webhook_active"),
    path("notes/<str:kind>/<int:pk>/", views.note_panel, name="notes"),
]
