"""API: a team's tags (GET lists, POST creates for supervisors) and the tags on a buyer or
case (GET lists, POST adds, DELETE removes). Another shop's objects answer 404."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from helpdesk import clock

from . import tags
from .api_shop import SHOP, requested_shop
from .models import Tag, TagColour, TagTarget


class TagSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tag
        fields = ["id", "name", "colour", "description"]


class TagInput(serializers.Serializer):
    name = serializers.CharField(max_length=20)
    colour = serializers.ChoiceField(choices=TagColour.choices)
    description = serializers.CharField(max_length=200, required=False, default="")


class TagChoice(serializers.Serializer):
    tag = serializers.IntegerField()


KIND = OpenApiParameter(
    "kind", str, OpenApiParameter.PATH, enum=list(TagTarget.values), description="what is tagged"
)


class TagList(APIView):
    @extend_schema(summary="The team's tags", parameters=[SHOP], responses=TagSerializer(many=True))
    def get(self, request):
        shop = requested_shop(request, "tags.use")
        return Response(TagSerializer(tags.tags_of_shop(shop).order_by("name"), many=True).data)

    @extend_schema(
        summary="Create a tag (supervisors)",
        parameters=[SHOP],
        request=TagInput,
        responses={201: TagSerializer},
    )
    def post(self, request):
        shop = requested_shop(request, "tags.manage")
        data = TagInput(data=request.data)
        data.is_valid(raise_exception=True)
        tag = tags.tag_create(actor=request.user, shop=shop, now=clock.now(), **data.validated_data)
        return Response(TagSerializer(tag).data, status=201)


def _target(request, kind, pk):
    return tags.access_tag_target(request.user, kind, pk)


def _team_tag(target, tag_id) -> Tag:
    tag = tags.tags_of_shop(target.shop).filter(pk=tag_id).first()
    if tag is None:
        raise Http404
    return tag


class TagsOn(APIView):
    @extend_schema(
        summary="The tags on a buyer, conversation, problem or ticket",
        parameters=[KIND],
        responses=TagSerializer(many=True),
    )
    def get(self, request, kind, pk):
        return Response(TagSerializer(tags.tags_on(_target(request, kind, pk)), many=True).data)

    @extend_schema(
        summary="Put a tag on it (a tag already there is left as it is)",
        parameters=[KIND],
        request=TagChoice,
        responses={200: TagSerializer(many=True)},
    )
    def post(self, request, kind, pk):
        target = _target(request, kind, pk)
        choice = TagChoice(data=request.data)
        choice.is_valid(raise_exception=True)
        tag = _team_tag(target, choice.validated_data["tag"])
        tags.tag_add(actor=request.user, target=target, tag=tag, now=clock.now())
        return Response(TagSerializer(tags.tags_on(target), many=True).data)


class TagOff(APIView):
    @extend_schema(summary="Take a tag off", parameters=[KIND], responses={204: None})
    def delete(self, request, kind, pk, tag_id):
        target = _target(request, kind, pk)
        tags.tag_remove(
            actor=request.user, target=target, tag=_team_tag(target, tag_id), now=clock.now()
        )
        return Response(status=204)
