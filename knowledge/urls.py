from django.urls import path

from . import views

app_name = "knowledge"
urlpatterns = [
    path("", views.entry_list, name="list"),
    path("export/<slug:code>/", views.export, name="export"),
    path("chat/<int:pk>/suggestions/", views.chat_suggestions, name="suggestions"),
    path("chat/<int:pk>/entries/", views.chat_entries, name="entries"),
]
