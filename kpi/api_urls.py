from django.urls import path

from . import api

urlpatterns = [
    path("kpi/report/", api.KpiReport.as_view(), name="api-kpi-report"),
]
