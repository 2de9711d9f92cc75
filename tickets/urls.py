from django.urls import path

from . import inbox_views, registers, views

app_name = "tickets"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("new/", views.new, name="new"),
    path("import/", views.refund_import, name="import"),
    path("import/sample.csv", views.refund_import_sample, name="import_sample"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/act/", views.act, name="act"),
    path("<int:pk>/reply/", views.reply, name="reply"),
    path("<int:pk>/steps/", views.tick_step, name="tick_step"),
    path("<int:pk>/costs/", views.costs, name="costs"),
    path("<int:pk>/escalate/", views.escalate, name="escalate"),
    path("<int:pk>/take/", views.take, name="take"),
    path("<int:pk>/signed-intact/", views.signed_intact, name="signed_intact"),
    path("<int:pk>/photos/", views.upload_photo, name="upload_photo"),
    path("photos/<uuid:pk>/", views.photo, name="photo"),
    path("registers/<slug:slug>/", registers.register_view, name="register"),
    path("inbox/", inbox_views.inbox, name="inbox"),
    path("inbox/approvals/<int:pk>/", inbox_views.decide, name="decide"),
    path("inbox/breaches/<int:pk>/", inbox_views.handle_breach, name="handle_breach"),
    path("inbox/escalations/<int:pk>/", inbox_views.handle_escalation, name="handle_escalation"),
    path("notifications/", inbox_views.notifications, name="notifications"),
    path("notifications/badge/", inbox_views.notifications_badge, name="notifications_badge"),
]
