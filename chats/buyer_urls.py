from django.urls import path

from live.views import buyer_events

from . import buyer_views

app_name = "buyer_chat"
urlpatterns = [
    path("survey/<str:token>/", buyer_views.survey, name="survey"),
    path("<slug:shop_code>/", buyer_views.chat, name="chat"),
    path("<slug:shop_code>/send/", buyer_views.send, name="send"),
    path("<slug:shop_code>/messages/", buyer_views.messages, name="messages"),
    path("<slug:shop_code>/events/", buyer_events, name="events"),
    path("<slug:shop_code>/images/<uuid:pk>/", buyer_views.image, name="image"),
]
