from django.urls import path

from . import api

urlpatterns = [
    path("notes/<str:kind>/<int:pk>/", api.NoteList.as_view(), name="api-notes"),
]
