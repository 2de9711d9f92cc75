"""GET /api/v1/kpi/report/?shop=CODE&date=YYYY-MM-DD: one day's figures in the shape
``kpi_report --json`` prints. For supervisors and managers of the shop; another shop is
a 404 like an unknown one. The date defaults to yesterday (Asia/Shanghai)."""

from datetime import date, timedelta

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.selectors import shops_for
from helpdesk import clock

from .days import local_day
from .selectors import report_json


class KpiReport(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("shop", str, description="shop code (default: your first shop)"),
            OpenApiParameter("date", OpenApiTypes.DATE, description="default: yesterday"),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        shops = list(shops_for(request.user, "kpi.dashboard"))
        if not shops:
            raise PermissionDenied
        code = request.query_params.get("shop")
        shop = next((s for s in shops if s.code == code), None) if code else shops[0]
        if shop is None:
            raise Http404
        now = clock.now()
        try:
            day = date.fromisoformat(
                request.query_params.get("date") or str(local_day(now) - timedelta(days=1))
            )
        except ValueError:
            raise ValidationError({"date": "需要 YYYY-MM-DD 格式的日期。"}) from None
        return Response(report_json(shop, day, now=now))
