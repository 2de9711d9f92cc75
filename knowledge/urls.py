from django.urls import path

from . import views

app_name = "knowledge"
urlpatterns = [
    path("", views.entry_list, name="list"),
    path("new/", views.entry_new, name="new"),
    path("<int:pk>/", views.entry_edit, name="edit"),
    path("<int:pk>/toggle/", views.entry_toggle, name="toggle"),
    path("import/", views.import_upload, name="import"),
    path("export/<slug:code>/", views.export, name="export"),
    path("auto-answer/<slug:code>/", views.auto_answer_toggle, name="auto_answer"),
    path("chat/<int:pk>/suggestions/", views.chat_suggestions, name="suggestions"),
    path("chat/<int:pk>/entries/", views.chat_entries, name="entries"),
]
