from django.urls import path

from . import api, api_routing, api_tags, api_webhooks

urlpatterns = [
    path("notes/<str:kind>/<int:pk>/", api.NoteList.as_view(), name="api-notes"),
    path("tags/", api_tags.TagList.as_view(), name="api-tags"),
    path("tags/on/<str:kind>/<int:pk>/", api_tags.TagsOn.as_view(), name="api-tags-on"),
    path(
        "tags/on/<str:kind>/<int:pk>/<int:tag_id>/",
        api_tags.TagOff.as_view(),
        name="api-tag-off",
    ),
    path("routing/rules/", api_routing.RuleList.as_view(), name="api-routing-rules"),
    path("routing/test/", api_routing.RoutingTest.as_view(), name="api-routing-test"),
    path("webhooks/", api_webhooks.EndpointList.as_view(), name="api-webhooks"),
    path(
        "webhooks/deliveries/", api_webhooks.DeliveryList.as_view(), name="api-webhook-deliveries"
    ),
]
