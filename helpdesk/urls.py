from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts import api as account_api
from accounts import views as account_views

from .api import api_root
from .health import healthz

api_patterns = [
    path("", api_root, name="api-root"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("me/", account_api.MeAPI.as_view(), name="api-me"),
    path("shops/", account_api.ShopListAPI.as_view(), name="api-shops"),
    path("", include("orders.api_urls")),
    path("", include("chats.api_urls")),
    path("", include("tickets.api_urls")),
    path("", include("reviews.api_urls")),
    path("", include("scripts_lib.api_urls")),
    path("", include("outreach.api_urls")),
    path("", include("kpi.api_urls")),
    path("", include("teamwork.api_urls")),
]

urlpatterns = [
    path("", account_views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("accounts.urls")),
    path("i18n/setlang/", account_views.language_set, name="set_language"),
    path("audit/", include("audit.urls")),
    path("orders/", include("orders.urls")),
    path("chats/", include("chats.urls")),
    path("c/", include("chats.buyer_urls")),
    path("live/", include("live.urls")),
    path("tickets/", include("tickets.urls")),
    path("reviews/", include("reviews.urls")),
    path("scripts/", include("scripts_lib.urls")),
    path("outreach/", include("outreach.urls")),
    path("kpi/", include("kpi.urls")),
    path("knowledge/", include("knowledge.urls")),
    path("teamwork/", include("teamwork.urls")),
    path("presence/", include("presence.urls")),
    path("catalogue/", include("catalogue.urls")),
    path("api/v1/", include(api_patterns)),
    path("admin/", admin.site.urls),
]
