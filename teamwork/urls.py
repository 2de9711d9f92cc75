from django.urls import path

from . import views

app_name = "teamwork"

urlpatterns = [
    path("webhooks/", views.webhook_settings, name="webhooks"),
    path("webhooks/<int:pk>/test/", views.webhook_test, name="webhook_test"),
    path("webhooks/<int:pk>/active/", views.webhook_active, name="webhook_active"),
]
