from django.urls import path

from .api.views import CheckApi, ScriptListApi

urlpatterns = [
    path("scripts/", ScriptListApi.as_view(), name="api-scripts"),
    path("scripts/check/", CheckApi.as_view(), name="api-scripts-check"),
]
