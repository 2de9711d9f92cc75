from django.urls import path

from . import views

app_name = "presence"
urlpatterns = [
    path("<slug:kind>/<int:pk>/", views.watchers, name="watchers"),
    path("<slug:kind>/<int:pk>/beat/", views.beat, name="beat"),
]
