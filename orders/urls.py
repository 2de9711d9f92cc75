from django.urls import path

from . import import_views

app_name = "orders"
urlpatterns: list = []

# Imports of the platform's exports (branch orders-import).
urlpatterns += [
    path("import/", import_views.import_page, name="import"),
    path("import/<int:pk>/", import_views.import_run, name="import_run"),
]
