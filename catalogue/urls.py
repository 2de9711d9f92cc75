from django.urls import path

from . import views

app_name = "catalogue"
urlpatterns = [
    path("", views.products, name="products"),
    path("<slug:code>/refresh/", views.refresh, name="refresh"),
    path("products/<int:pk>/", views.product, name="product"),
    path("products/<int:pk>/image/", views.product_image, name="product_image"),
    path("images/", views.images, name="images"),
    path("<slug:code>/images/", views.image_add, name="image_add"),
    path("images/<uuid:pk>/", views.image_file, name="image_file"),
    path("images/<uuid:pk>/rename/", views.image_rename, name="image_rename"),
    path("images/<uuid:pk>/delete/", views.image_delete, name="image_delete"),
]
