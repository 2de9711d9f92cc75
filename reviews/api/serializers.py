from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from reviews.importing.parsing import RowError, clean_order_id
from reviews.models import DraftKind, EvidenceMessage, Rating, ReplyDraft, Review, ReviewTransition
from reviews.states import ACTION_LABELS
from scripts_lib.etiquette import finding_message


class ReviewSerializer(serializers.ModelSerializer):
    shop = serializers.CharField(source="shop.code")
    buyer_nick = serializers.CharField(source="buyer.nick")
    order = serializers.IntegerField(source="order_id", allow_null=True)
    order_id = serializers.CharField(source="platform_order_id")
    review_id = serializers.CharField(source="external_id")
    assignee = serializers.IntegerField(source="assignee_id", allow_null=True)

    class Meta:
        model = Review
        fields = [
            "id",
            "shop",
            "order",
            "order_id",
            "review_id",
            "buyer_nick",
            "rating",
            "text",
            "item_title",
            "dsr_description",
            "dsr_service",
            "dsr_logistics",
            "reviewed_at",
            "state",
            "assignee",
            "is_extortion",
            "extortion_note",
            "extortion_marked_at",
        ]


class TransitionSerializer(serializers.ModelSerializer):
    from_state = serializers.CharField(help_text="a review state, as in ``state``")
    to_state = serializers.CharField(help_text="a review state, as in ``state``")

    class Meta:
        model = ReviewTransition
        fields = ["action", "from_state", "to_state", "actor", "note", "created_at"]


class FindingSerializer(serializers.Serializer):
    rule = serializers.CharField()
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    message = serializers.SerializerMethodField(help_text="the advice in the reader's language")
    suggestion = serializers.CharField(allow_null=True)
    excerpt = serializers.CharField(required=False, help_text="the flagged text")

    def get_message(self, finding: dict) -> str:
        return finding_message(finding)


class DraftSerializer(serializers.ModelSerializer):
    findings = FindingSerializer(many=True)

    class Meta:
        model = ReplyDraft
        fields = ["id", "kind", "text", "findings", "author", "created_at"]


class EvidenceSerializer(serializers.ModelSerializer):
    conversation = serializers.IntegerField(source="conversation_id_copy")

    class Meta:
        model = EvidenceMessage
        fields = [
            "id",
            "conversation",
            "buyer_nick",
            "text",
            "sent_at",
            "channel_name",
            "identity_verified",
            "selected_by",
            "selected_at",
        ]


class ReviewDetailSerializer(ReviewSerializer):
    transitions = TransitionSerializer(many=True)
    drafts = DraftSerializer(many=True)
    evidence = EvidenceSerializer(many=True)

    class Meta(ReviewSerializer.Meta):
        fields = [*ReviewSerializer.Meta.fields, "transitions", "drafts", "evidence"]


class ReviewInputSerializer(serializers.Serializer):
    """A review as the platform or a shop tool reports it. Posting the same review again
    (same review_id, or same order_id and reviewed_at) updates it instead of adding one."""

    shop = serializers.CharField(help_text=_("店铺代码"))
    order_id = serializers.CharField(max_length=30)
    nick = serializers.CharField(max_length=64)
    rating = serializers.ChoiceField(choices=Rating.choices)
    text = serializers.CharField(max_length=2000, allow_blank=True, default="")
    reviewed_at = serializers.DateTimeField()
    review_id = serializers.CharField(max_length=64, allow_blank=True, default="")
    item_title = serializers.CharField(max_length=500, allow_blank=True, default="")
    dsr_description = serializers.IntegerField(
        min_value=1, max_value=5, required=False, allow_null=True
    )
    dsr_service = serializers.IntegerField(
        min_value=1, max_value=5, required=False, allow_null=True
    )
    dsr_logistics = serializers.IntegerField(
        min_value=1, max_value=5, required=False, allow_null=True
    )

    def validate_order_id(self, value):
        try:
            return clean_order_id(value)
        except RowError as error:
            raise serializers.ValidationError(str(error)) from None


class ReviewTransitionInputSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=list(ACTION_LABELS))
    note = serializers.CharField(max_length=500, allow_blank=True, default="")


class AssignInputSerializer(serializers.Serializer):
    assignee = serializers.IntegerField()


class DraftInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DraftKind.choices)
    text = serializers.CharField(max_length=500)


class ExtortionInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500)


class EvidenceInputSerializer(serializers.Serializer):
    message_ids = serializers.ListField(
        child=serializers.IntegerField(), min_length=1, max_length=200
    )
