from django.urls import path

from . import dsr_views, views

app_name = "kpi"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export.xlsx", views.export_day, name="export"),
    path("dsr/", dsr_views.dsr, name="dsr"),
    path("dsr/import/", dsr_views.dsr_import, name="dsr_import"),
    path("agents/", views.agents, name="agents"),
    path("agents/<int:agent_id>/", views.agent, name="agent"),
    path("mine/", views.mine, name="mine"),
    path("conversations/<int:pk>/", views.conversation, name="conversation"),
    path("qa/", views.qa_queue, name="qa_queue"),
    path("qa/<int:pk>/", views.qa_review, name="qa_review"),
    path("qa/mystery/<int:conversation_id>/", views.qa_mystery, name="qa_mystery"),
    path("handover/", views.handover, name="handover"),
    path("handover/<int:pk>/acknowledge/", views.handover_ack, name="handover_ack"),
]
