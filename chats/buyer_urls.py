from django.urls import path  # noqa: F401

app_name = "buyer_chat"
urlpatterns: list = []
