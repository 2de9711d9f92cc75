from django.urls import path

from .views import composer, conversation, handling, queue, sending

app_name = "chats"
urlpatterns = [
    path("", queue.workspace, name="workspace"),
    path("queue/", queue.queue, name="queue"),
    path("presence/", queue.presence, name="presence"),
    path("alerts/", queue.alerts, name="alerts"),
    path("<int:pk>/", conversation.conversation, name="conversation"),
    path("<int:pk>/messages/", conversation.conversation_messages, name="messages"),
    path("<int:pk>/reply/", composer.reply, name="reply"),
    path("<int:pk>/check/", composer.check, name="check"),
    path("<int:pk>/scripts/", composer.scripts, name="scripts"),
    path("<int:pk>/claim/", handling.claim, name="claim"),
    path("<int:pk>/transfer/", handling.transfer, name="transfer"),
    path("<int:pk>/assign/", handling.assign, name="assign"),
    path("<int:pk>/close/", handling.close, name="close"),
    path("<int:pk>/concession/", handling.concession, name="concession"),
    path("<int:pk>/stock-wish/", handling.stock_wish, name="stock_wish"),
    path("<int:pk>/order-card/", sending.order_card, name="order_card"),
    path("<int:pk>/products/", sending.products, name="products"),
    path("<int:pk>/product-card/", sending.product_card, name="product_card"),
    path("<int:pk>/library/", sending.library, name="library"),
    path("<int:pk>/library-image/", sending.library_image, name="library_image"),
    path("images/<uuid:pk>/ticket/", handling.image_to_ticket, name="image_to_ticket"),
]
