from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("token/", views.api_token, name="api_token"),
    path("shops/<slug:code>/", views.shop_settings, name="shop_settings"),
    path("shops/<slug:code>/staff/", views.shop_staff, name="shop_staff"),
    path(
        "shops/<slug:code>/staff/<int:user_id>/deactivate/",
        views.staff_deactivate,
        name="staff_deactivate",
    ),
    path(
        "shops/<slug:code>/staff/<int:user_id>/reactivate/",
        views.staff_reactivate,
        name="staff_reactivate",
    ),
    path(
        "shops/<slug:code>/staff/<int:user_id>/remove/",
        views.staff_remove,
        name="staff_remove",
    ),
]
