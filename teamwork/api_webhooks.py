"""API: a shop's webhook endpoints (GET lists, POST registers and answers the secret once)
and their latest deliveries, for shop managers."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from helpdesk import clock

from .api_shop import SHOP, requested_shop
from .models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from .selectors import webhook_deliveries_for, webhook_endpoints_for
from .webhooks import webhook_endpoint_create


class EndpointSerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookEndpoint
        fields = ["id", "url", "events", "is_active", "created_at"]


class NewEndpointSerializer(EndpointSerializer):
    class Meta(EndpointSerializer.Meta):
        fields = [*EndpointSerializer.Meta.fields, "secret"]


class EndpointInput(serializers.Serializer):
    url = serializers.CharField(max_length=500)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=WebhookEvent.choices), min_length=1
    )


class DeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "endpoint",
            "event_id",
            "event",
            "status",
            "attempts",
            "last_status_code",
            "last_error",
            "next_attempt_at",
            "created_at",
            "sent_at",
        ]


class EndpointList(APIView):
    @extend_schema(
        summary="The shop's webhook endpoints (secrets are not listed)",
        parameters=[SHOP],
        responses=EndpointSerializer(many=True),
    )
    def get(self, request):
        shop = requested_shop(request, "webhooks.manage")
        endpoints = webhook_endpoints_for(request.user, shop).order_by("pk")
        return Response(EndpointSerializer(endpoints, many=True).data)

    @extend_schema(
        summary="Register an endpoint; the answer carries its signing secret, once",
        parameters=[SHOP],
        request=EndpointInput,
        responses={201: NewEndpointSerializer},
    )
    def post(self, request):
        shop = requested_shop(request, "webhooks.manage")
        data = EndpointInput(data=request.data)
        data.is_valid(raise_exception=True)
        endpoint = webhook_endpoint_create(
            actor=request.user,
            shop=shop,
            url=data.validated_data["url"],
            events=data.validated_data["events"],
            now=clock.now(),
        )
        return Response(NewEndpointSerializer(endpoint).data, status=201)


class DeliveryList(APIView):
    @extend_schema(
        summary="The latest deliveries of the shop's endpoints",
        parameters=[SHOP],
        responses=DeliverySerializer(many=True),
    )
    def get(self, request):
        shop = requested_shop(request, "webhooks.manage")
        return Response(
            DeliverySerializer(webhook_deliveries_for(request.user, shop), many=True).data
        )
