"""API: a shop's routing rules in the order they are tried, and "which rule would take this
message?" (supervisors and managers). Rules are changed on the routing page."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from helpdesk import clock

from . import routing
from .api_shop import SHOP, requested_shop
from .models import RoutingRule
from .selectors import routing_rules_of_shop


class RuleSerializer(serializers.ModelSerializer):
    group = serializers.CharField(source="group.name")
    buyer_tag = serializers.CharField(source="buyer_tag.name", default=None)
    channel = serializers.CharField(source="channel.name", default=None)

    class Meta:
        model = RoutingRule
        fields = [
            "id",
            "position",
            "name",
            "keywords",
            "product_terms",
            "buyer_tag",
            "channel",
            "weekdays",
            "start_time",
            "end_time",
            "group",
            "priority",
        ]


class RoutingTestInput(serializers.Serializer):
    text = serializers.CharField(max_length=500)
    at = serializers.DateTimeField(required=False)


class RoutingTestResult(serializers.Serializer):
    rule = RuleSerializer(allow_null=True)


class RuleList(APIView):
    @extend_schema(
        summary="The shop's routing rules, first tried first",
        parameters=[SHOP],
        responses=RuleSerializer(many=True),
    )
    def get(self, request):
        shop = requested_shop(request, "routing.manage")
        return Response(RuleSerializer(routing_rules_of_shop(request.user, shop), many=True).data)


class RoutingTest(APIView):
    @extend_schema(
        summary="Which rule would take a buyer's first message (null: default assignment)",
        parameters=[SHOP],
        request=RoutingTestInput,
        responses=RoutingTestResult,
    )
    def post(self, request):
        shop = requested_shop(request, "routing.manage")
        data = RoutingTestInput(data=request.data)
        data.is_valid(raise_exception=True)
        rule = routing.which_rule(
            shop=shop,
            text=data.validated_data["text"],
            at=data.validated_data.get("at") or clock.now(),
        )
        return Response({"rule": RuleSerializer(rule).data if rule else None})
