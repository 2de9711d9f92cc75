from django.urls import path

from . import api

urlpatterns = [
    path("tickets/", api.TicketList.as_view(), name="api-tickets"),
    path("tickets/<int:pk>/", api.TicketDetail.as_view(), name="api-ticket-detail"),
    path("tickets/<int:pk>/actions/", api.TicketAction.as_view(), name="api-ticket-action"),
]
