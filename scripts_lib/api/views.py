"""REST API: the scripts a user may use (optionally for one shop, rendered) and the checker."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import can
from accounts.selectors import shops_for

from .. import etiquette
from ..selectors import matching, scripts_visible_to


class ScriptOutput(serializers.Serializer):
    id = serializers.IntegerField()
    category = serializers.CharField()
    category_label = serializers.CharField(source="get_category_display")
    title = serializers.CharField()
    code = serializers.CharField()
    body = serializers.CharField()
    shop = serializers.CharField(source="shop.code", default=None)
    is_active = serializers.BooleanField()
    version = serializers.IntegerField()
    use_count = serializers.IntegerField()
    updated_at = serializers.DateTimeField()


@extend_schema(
    parameters=[
        OpenApiParameter("shop", str, description="shop code: that shop's effective library"),
        OpenApiParameter("category", str),
        OpenApiParameter("q", str, description="text, /code or pinyin initials"),
    ]
)
class ScriptListApi(ListAPIView):
    """Scripts the caller may use, in conversation order."""

    serializer_class = ScriptOutput

    def get_queryset(self):
        params = self.request.query_params
        shop = None
        if params.get("shop"):
            shop = shops_for(self.request.user, "scripts.use").filter(code=params["shop"]).first()
            if shop is None:
                raise NotFound
        category = params.get("category") or None
        scripts = scripts_visible_to(self.request.user, shop=shop, category=category)
        return matching(scripts, params.get("q", ""))


class CheckInput(serializers.Serializer):
    text = serializers.CharField(max_length=2000, allow_blank=True, trim_whitespace=False)


class FindingOutput(serializers.Serializer):
    rule = serializers.CharField()
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    message = serializers.CharField()
    suggestion = serializers.CharField(allow_null=True)


class CheckApi(APIView):
    """Etiquette findings for a reply draft (no conversation context)."""

    @extend_schema(request=CheckInput, responses=FindingOutput(many=True))
    def post(self, request):
        if not can(request.user, "scripts.use"):
            raise NotFound
        data = CheckInput(data=request.data)
        data.is_valid(raise_exception=True)
        findings = etiquette.check(data.validated_data["text"])
        return Response(FindingOutput([f.as_dict() for f in findings], many=True).data)
