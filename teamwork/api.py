"""API: internal notes of an object (GET lists them, POST adds one)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from helpdesk import clock

from .models import Note, NoteTarget
from .notes import access_note_target, note_add, notes_of


class NoteSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.label", default=None)
    mentioned = serializers.SerializerMethodField()

    class Meta:
        model = Note
        fields = ["id", "target_type", "target_id", "author", "body", "mentioned", "created_at"]

    def get_mentioned(self, note) -> list[str]:
        return [person.label for person in note.mentioned.all()]


class NoteInput(serializers.Serializer):
    body = serializers.CharField(max_length=2000)


KIND = OpenApiParameter(
    "kind",
    str,
    OpenApiParameter.PATH,
    enum=list(NoteTarget.values),
    description="the object's kind",
)


class NoteList(APIView):
    def _target(self, request, kind, pk):
        return access_note_target(request.user, kind, pk)

    @extend_schema(
        summary="Internal notes of a conversation, problem, ticket or review",
        responses=NoteSerializer(many=True),
    )
    def get(self, request, kind, pk):
        target = self._target(request, kind, pk)
        notes = notes_of(request.user, target).prefetch_related("mentioned")
        return Response(NoteSerializer(notes, many=True).data)

    @extend_schema(
        summary="Add an internal note; @工号 or @name mentions notify colleagues",
        parameters=[KIND],
        request=NoteInput,
        responses={201: NoteSerializer},
    )
    def post(self, request, kind, pk):
        target = self._target(request, kind, pk)
        data = NoteInput(data=request.data)
        data.is_valid(raise_exception=True)
        note = note_add(
            actor=request.user, target=target, body=data.validated_data["body"], now=clock.now()
        )
        return Response(NoteSerializer(note).data, status=201)
