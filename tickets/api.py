"""REST API for tickets (/api/v1/tickets/): list, create, detail and one endpoint per
state-machine step. Every object comes through tickets.selectors, scoped to the caller's
shops and role; a foreign ticket is a 404."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import can
from accounts.selectors import access_shop, shops_for
from helpdesk import clock

from . import services, sla
from .models import ReturnReason, Ticket, TicketEvent
from .selectors import access_ticket, access_ticket_order, tickets_visible_to
from .states import Action, TicketType


class TicketSerializer(serializers.ModelSerializer):
    shop = serializers.CharField(source="shop.code")
    buyer = serializers.CharField(source="buyer.nick")
    order_id = serializers.CharField(source="order.order_id", allow_null=True, default=None)
    assignee = serializers.CharField(source="assignee.label", allow_null=True, default=None)
    sla_seconds_left = serializers.SerializerMethodField()

    class Meta:
        model = Ticket
        fields = [
            "id",
            "shop",
            "type",
            "state",
            "buyer",
            "order_id",
            "reason",
            "assignee",
            "created_at",
            "updated_at",
            "closed_at",
            "sla_due_at",
            "sla_seconds_left",
            "refund_amount",
            "compensation_amount",
            "reshipping_postage",
            "return_postage",
            "platform_refund_id",
            "escalated_at",
        ]

    def get_sla_seconds_left(self, ticket) -> int | None:
        left = sla.seconds_left(ticket, now=self.context["now"])
        return None if left is None else int(left)


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.label", allow_null=True, default=None)

    class Meta:
        model = TicketEvent
        fields = ["kind", "actor", "from_state", "to_state", "text", "created_at"]


class TicketDetailSerializer(TicketSerializer):
    events = EventSerializer(many=True, read_only=True)
    photo_count = serializers.IntegerField(source="photos.count", read_only=True)

    class Meta(TicketSerializer.Meta):
        fields = [
            *TicketSerializer.Meta.fields,
            "description",
            "worn_or_washed",
            "return_tracking_number",
            "return_courier",
            "return_received_at",
            "reship_tracking_number",
            "refusal_reason",
            "complaint_steps",
            "pending_action",
            "photo_count",
            "events",
        ]


class TicketCreateSerializer(serializers.Serializer):
    shop = serializers.CharField(help_text="shop code")
    type = serializers.ChoiceField(choices=TicketType.choices)
    order_id = serializers.CharField(required=False, allow_blank=True, max_length=19)
    buyer_nick = serializers.CharField(required=False, allow_blank=True, max_length=64)
    reason = serializers.ChoiceField(choices=ReturnReason.choices, default=ReturnReason.OTHER)
    description = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    worn_or_washed = serializers.BooleanField(default=False)


class ActionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=Action.choices)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, required=False)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300)
    tracking_number = serializers.CharField(required=False, allow_blank=True, max_length=40)
    courier = serializers.CharField(required=False, allow_blank=True, max_length=40)


class SeesTickets(BasePermission):
    """Like the queue page: only roles with ``tickets.view`` somewhere reach the list (a
    pre-sale agent is refused, not shown an empty list)."""

    message = "只有售后客服、中差评专员、主管和经理可以查看售后工单。"

    def has_permission(self, request, view):
        return can(request.user, "tickets.view")


class TicketList(ListAPIView):
    serializer_class = TicketSerializer
    permission_classes = [IsAuthenticated, SeesTickets]

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": clock.now()}

    @extend_schema(
        summary="List tickets in the caller's shops",
        parameters=[
            OpenApiParameter("shop", str, description="shop code"),
            OpenApiParameter("type", str, enum=TicketType.values),
            OpenApiParameter("state", str, description="a state, or open / done"),
            OpenApiParameter("sla", str, enum=["overdue", "due_soon", "none"]),
            OpenApiParameter("assignee", str, description="me, nobody or a user id"),
        ],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        shop_id = None
        if params.get("shop"):
            shop_id = access_shop(self.request.user, params["shop"], "tickets.view").pk
        return tickets_visible_to(
            self.request.user,
            now=clock.now(),
            shop_id=shop_id,
            types=[params["type"]] if params.get("type") else (),
            state=params.get("state", ""),
            sla=params.get("sla", ""),
            assignee=params.get("assignee", ""),
        )

    @extend_schema(
        summary="Open a ticket",
        request=TicketCreateSerializer,
        responses={201: TicketDetailSerializer},
    )
    def post(self, request):
        data = TicketCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        shop = shops_for(request.user, "tickets.work").filter(code=values["shop"]).first()
        if shop is None:
            raise PermissionDenied(_("没有该店铺的售后权限。"))
        order = None
        if values.get("order_id"):
            order = access_ticket_order(request.user, shop=shop, order_id=values["order_id"])
        nick = values.get("buyer_nick") or (order.buyer_nick if order else "")
        if order is not None and order.buyer_id and not values.get("buyer_nick"):
            nick = order.buyer.nick
        if not nick:
            raise serializers.ValidationError({"buyer_nick": "请填写买家昵称或订单编号。"})
        now = clock.now()
        ticket = services.ticket_open(
            actor=request.user,
            shop=shop,
            type=values["type"],
            buyer_nick=nick,
            order=order,
            reason=values["reason"],
            description=values.get("description", ""),
            worn_or_washed=values["worn_or_washed"],
            now=now,
        )
        body = TicketDetailSerializer(access_ticket(request.user, ticket.pk), context={"now": now})
        return Response(body.data, status=status.HTTP_201_CREATED)


class TicketDetail(APIView):
    @extend_schema(summary="One ticket with its timeline", responses=TicketDetailSerializer)
    def get(self, request, pk):
        ticket = access_ticket(request.user, pk)
        return Response(TicketDetailSerializer(ticket, context={"now": clock.now()}).data)


class TicketAction(APIView):
    @extend_schema(
        summary="Take one step of the ticket's state machine",
        description=(
            "Refused steps answer 400 with a message (`detail`) and the policy rule "
            "(`rule`, e.g. `photo_required`, `return_window`). A refund or compensation above the "
            "caller's limit answers 200 with the ticket in `awaiting_approval`."
        ),
        request=ActionSerializer,
        responses=TicketDetailSerializer,
    )
    def post(self, request, pk):
        ticket = access_ticket(request.user, pk)
        if not can(request.user, "tickets.work", ticket):
            raise PermissionDenied
        data = ActionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        now = clock.now()
        services.ticket_act(
            actor=request.user,
            ticket=ticket,
            action=values["action"],
            amount=values.get("amount"),
            reason=values.get("reason", ""),
            tracking_number=values.get("tracking_number", ""),
            courier=values.get("courier", ""),
            now=now,
        )
        body = TicketDetailSerializer(access_ticket(request.user, pk), context={"now": now})
        return Response(body.data)
