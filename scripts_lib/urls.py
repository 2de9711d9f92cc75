from django.urls import path

from . import views

app_name = "scripts_lib"
urlpatterns = [
    path("", views.script_list, name="list"),
    path("new/", views.script_create_view, name="create"),
    path("<int:pk>/edit/", views.script_edit, name="edit"),
    path("<int:pk>/versions/", views.script_versions, name="versions"),
    path("<int:pk>/use/", views.script_use, name="use"),
    path("usage/", views.script_usage, name="usage"),
    path("export/", views.script_export, name="export"),
    path("import/", views.script_import, name="import"),
    path("pick/", views.script_pick, name="pick"),
    path("check/", views.script_check, name="check"),
]
