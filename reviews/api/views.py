"""The reviews API. Only users who work reviews in some shop get past the door (403
otherwise); a review of a shop they do not work is a 404, like an unknown one."""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import can
from accounts.selectors import access_shop, shops_for
from helpdesk import clock
from helpdesk.keyset import KeysetPagination
from reviews import services
from reviews.importing.parsing import ImportReport, ReviewRow
from reviews.importing.upsert import reviews_upsert
from reviews.models import REVIEW_PAGES, Rating, ReviewState
from reviews.selectors import access_review, access_review_detail, reviews_visible_to

from .serializers import (
    AssignInputSerializer,
    DraftInputSerializer,
    DraftSerializer,
    EvidenceInputSerializer,
    EvidenceSerializer,
    ExtortionInputSerializer,
    ReviewDetailSerializer,
    ReviewInputSerializer,
    ReviewSerializer,
    ReviewTransitionInputSerializer,
)


class WorksReviews(BasePermission):
    message = "只有中差评专员、主管和经理可以访问中差评。"

    def has_permission(self, request, view):
        return can(request.user, "reviews.view")


PERMISSIONS = [IsAuthenticated, WorksReviews]


class ReviewPagination(KeysetPagination):
    keyset = REVIEW_PAGES


@extend_schema(tags=["reviews"])
class ReviewListCreate(generics.GenericAPIView):
    permission_classes = PERMISSIONS
    pagination_class = ReviewPagination
    serializer_class = ReviewSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("shop", str, description="shop code"),
            OpenApiParameter("rating", str, enum=Rating.values),
            OpenApiParameter("state", str, enum=ReviewState.values),
            OpenApiParameter("assignee", int),
            OpenApiParameter("extortion", bool),
        ],
        responses=ReviewSerializer(many=True),
        summary="List neutral/negative reviews of the shops where the caller works reviews",
    )
    def get(self, request):
        params = request.query_params
        shop_id = None
        if params.get("shop"):
            shop_id = access_shop(request.user, params["shop"], "reviews.view").pk
        extortion = params.get("extortion")
        reviews = reviews_visible_to(
            request.user,
            shop_id=shop_id,
            rating=params.get("rating", ""),
            state=params.get("state", ""),
            assignee_id=int(params["assignee"]) if params.get("assignee", "").isdigit() else None,
            extortion=None if extortion is None else extortion.lower() in ("1", "true"),
        )
        page = self.paginate_queryset(reviews)
        return self.get_paginated_response(ReviewSerializer(page, many=True).data)

    @extend_schema(
        request=ReviewInputSerializer,
        responses={201: ReviewDetailSerializer, 200: ReviewDetailSerializer},
        summary="Record a review (idempotent: the same review again updates it, 200)",
    )
    def post(self, request):
        data = ReviewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        shop = shops_for(request.user, "reviews.work").filter(code=values.pop("shop")).first()
        if shop is None:
            raise serializers.ValidationError({"shop": [_("没有这个店铺，或您不处理它的中差评。")]})
        row = ReviewRow(
            order_id=values.pop("order_id"),
            external_id=values.pop("review_id"),
            reviewed_at=values.pop("reviewed_at"),
            **values,
        )
        report = ImportReport()
        (review,) = reviews_upsert(
            actor=request.user, shop=shop, rows=[row], now=clock.now(), report=report
        )
        return Response(
            ReviewDetailSerializer(access_review_detail(request.user, review.pk)).data,
            status=status.HTTP_201_CREATED if report.created else status.HTTP_200_OK,
        )


@extend_schema(tags=["reviews"])
class ReviewDetail(APIView):
    permission_classes = PERMISSIONS

    @extend_schema(responses=ReviewDetailSerializer, summary="A review with its history")
    def get(self, request, pk):
        return Response(ReviewDetailSerializer(access_review_detail(request.user, pk)).data)


class _ReviewAction(APIView):
    permission_classes = PERMISSIONS
    input_serializer: type[serializers.Serializer]

    def post(self, request, pk):
        review = access_review(request.user, pk, action="reviews.work")
        data = self.input_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self.act(request, review, data.validated_data, clock.now())

    def done(self, request, review, code=status.HTTP_200_OK):
        return Response(
            ReviewDetailSerializer(access_review_detail(request.user, review.pk)).data, status=code
        )


@extend_schema(
    tags=["reviews"],
    request=ReviewTransitionInputSerializer,
    responses=ReviewDetailSerializer,
    summary="Take a workflow step (contact, resolve, request_revision, mark_revised, "
    "mark_unchanged, appeal, reopen); refused steps are 400 with the reason",
)
class ReviewTransitionView(_ReviewAction):
    input_serializer = ReviewTransitionInputSerializer

    def act(self, request, review, data, now):
        review = services.review_transition(actor=request.user, review=review, now=now, **data)
        return self.done(request, review)


@extend_schema(
    tags=["reviews"],
    request=AssignInputSerializer,
    responses=ReviewDetailSerializer,
    summary="Assign the review (to oneself; to others: supervisors)",
)
class ReviewAssignView(_ReviewAction):
    input_serializer = AssignInputSerializer

    def act(self, request, review, data, now):
        review = services.review_assign(
            actor=request.user, review=review, assignee_id=data["assignee"], now=now
        )
        return self.done(request, review)


@extend_schema(
    tags=["reviews"],
    request=DraftInputSerializer,
    responses={201: DraftSerializer},
    summary="Save a reply draft; the etiquette findings are returned and kept",
)
class ReviewDraftView(_ReviewAction):
    input_serializer = DraftInputSerializer

    def act(self, request, review, data, now):
        draft = services.draft_save(actor=request.user, review=review, now=now, **data)
        return Response(DraftSerializer(draft).data, status=status.HTTP_201_CREATED)


@extend_schema(
    tags=["reviews"],
    request=ExtortionInputSerializer,
    responses=ReviewDetailSerializer,
    summary="Mark the review as an extortion case (the buyer's demand in the note)",
)
class ReviewExtortionView(_ReviewAction):
    input_serializer = ExtortionInputSerializer

    def act(self, request, review, data, now):
        review = services.review_mark_extortion(actor=request.user, review=review, now=now, **data)
        return self.done(request, review)


@extend_schema(
    tags=["reviews"],
    request=EvidenceInputSerializer,
    responses={201: EvidenceSerializer(many=True)},
    summary="Copy the buyer's own chat messages into the case's evidence (immutable)",
)
class ReviewEvidenceView(_ReviewAction):
    input_serializer = EvidenceInputSerializer

    def act(self, request, review, data, now):
        copies = services.evidence_select(actor=request.user, review=review, now=now, **data)
        return Response(EvidenceSerializer(copies, many=True).data, status=status.HTTP_201_CREATED)


@extend_schema(
    tags=["reviews"],
    responses={(200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY)},
    summary="Download the evidence pack (ZIP: summary.html, messages.csv, messages.txt)",
)
class ReviewEvidencePackView(APIView):
    permission_classes = PERMISSIONS

    def get(self, request, pk):
        review = access_review(request.user, pk, action="reviews.work")
        name, data = services.evidence_pack(actor=request.user, review=review, now=clock.now())
        response = HttpResponse(data, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
