from django.urls import path

from . import views

app_name = "chats"
urlpatterns = [
    path("", views.workspace, name="workspace"),
    path("queue/", views.queue, name="queue"),
    path("presence/", views.presence, name="presence"),
    path("alerts/", views.alerts, name="alerts"),
    path("<int:pk>/", views.conversation, name="conversation"),
    path("<int:pk>/messages/", views.conversation_messages, name="messages"),
    path("<int:pk>/reply/", views.reply, name="reply"),
    path("<int:pk>/check/", views.check, name="check"),
    path("<int:pk>/scripts/", views.scripts, name="scripts"),
    path("<int:pk>/claim/", views.claim, name="claim"),
    path("<int:pk>/transfer/", views.transfer, name="transfer"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/concession/", views.concession, name="concession"),
    path("<int:pk>/stock-wish/", views.stock_wish, name="stock_wish"),
    path("<int:pk>/order-card/", views.order_card, name="order_card"),
    path("<int:pk>/products/", views.products, name="products"),
    path("<int:pk>/product-card/", views.product_card, name="product_card"),
    path("<int:pk>/library/", views.library, name="library"),
    path("<int:pk>/library-image/", views.library_image, name="library_image"),
    path("images/<uuid:pk>/ticket/", views.image_to_ticket, name="image_to_ticket"),
]
