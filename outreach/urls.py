from django.urls import path

from . import views

app_name = "outreach"
urlpatterns = [
    path("", views.outbox, name="outbox"),
    path("outbox/<int:pk>/retry/", views.outbox_retry, name="outbox_retry"),
    path("jobs/", views.jobs, name="jobs"),
    path("jobs/<slug:job_name>/schedule/", views.job_schedule, name="job_schedule"),
    path("jobs/<slug:job_name>/run/", views.job_run, name="job_run"),
]
