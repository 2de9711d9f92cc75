from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import can
from accounts.selectors import access_shop
from helpdesk import clock
from helpdesk.keyset import KeysetPagination

from ..models import ORDER_PAGES, Problem
from ..selectors import (
    access_order_detail,
    access_problem,
    latest_memo,
    orders_visible_to,
    problem_queue,
    problems_visible_to,
)
from ..services import problem_claim, problem_claim_next, problem_note, transition
from .serializers import (
    ClaimNextInput,
    MemoInput,
    MemoOutput,
    OrderDetailOutput,
    OrderFilterInput,
    OrderOutput,
    ProblemFilterInput,
    ProblemOutput,
    TransitionInput,
)


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100


class OrderPagination(KeysetPagination):
    keyset = ORDER_PAGES


def _shop_id(user, code: str | None, action: str) -> int | None:
    return access_shop(user, code, action).pk if code else None


class OrderListApi(APIView):
    pagination_class = OrderPagination

    @extend_schema(
        operation_id="orders_list",
        parameters=[OrderFilterInput],
        responses=OrderOutput(many=True),
        summary="Orders of the caller's shops, newest first",
    )
    def get(self, request):
        filters = OrderFilterInput(data=request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        orders = orders_visible_to(
            request.user,
            shop_id=_shop_id(request.user, data.get("shop"), "orders.view"),
            state=data.get("state", ""),
            buyer=data.get("buyer", ""),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(orders, request, view=self)
        return paginator.get_paginated_response(OrderOutput(page, many=True).data)


class OrderDetailApi(APIView):
    @extend_schema(
        operation_id="orders_retrieve",
        responses=OrderDetailOutput,
        summary="One order with items, memos, problems and state history",
    )
    def get(self, request, pk):
        order = access_order_detail(request.user, pk)
        return Response(OrderDetailOutput(order).data)


class ProblemListApi(APIView):
    @extend_schema(
        operation_id="problems_list",
        parameters=[ProblemFilterInput],
        responses=ProblemOutput(many=True),
        summary="The problem queue (active problems by default), due soonest first",
    )
    def get(self, request):
        if not can(request.user, "problems.view"):
            raise PermissionDenied
        filters = ProblemFilterInput(data=request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        problems = problem_queue(
            request.user,
            category=data.get("category", ""),
            state=data.get("state", ""),
            shop_id=_shop_id(request.user, data.get("shop"), "problems.view"),
            assignee=data.get("assignee", ""),
        )
        paginator = Pagination()
        page = paginator.paginate_queryset(problems, request, view=self)
        return paginator.get_paginated_response(ProblemOutput(page, many=True).data)


def _problem(request, pk) -> Problem:
    problem = access_problem(request.user, pk)
    if not can(request.user, "problems.work", problem):
        raise PermissionDenied
    return problem


def _problem_response(request, pk, code=status.HTTP_200_OK) -> Response:
    return Response(ProblemOutput(problems_visible_to(request.user).get(pk=pk)).data, status=code)


class ProblemClaimApi(APIView):
    @extend_schema(
        operation_id="problems_claim",
        request=None,
        responses={200: ProblemOutput, 409: None},
        summary="Claim one problem; 409 if someone else has it",
    )
    def post(self, request, pk):
        problem = _problem(request, pk)
        problem_claim(actor=request.user, problem=problem, now=clock.now())
        return _problem_response(request, pk)


class ProblemClaimNextApi(APIView):
    @extend_schema(
        operation_id="problems_claim_next",
        request=ClaimNextInput,
        responses={200: ProblemOutput, 204: None},
        summary="Claim the unclaimed problem due soonest; 204 when the queue is empty",
    )
    def post(self, request):
        data = ClaimNextInput(data=request.data)
        data.is_valid(raise_exception=True)
        shop_code = data.validated_data.get("shop")
        shop = access_shop(request.user, shop_code, "problems.work") if shop_code else None
        if not can(request.user, "problems.work"):
            raise PermissionDenied
        problem = problem_claim_next(
            actor=request.user,
            now=clock.now(),
            shop=shop,
            category=data.validated_data.get("category"),
        )
        if problem is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return _problem_response(request, problem.pk)


class ProblemTransitionApi(APIView):
    @extend_schema(
        operation_id="problems_transition",
        request=TransitionInput,
        responses={200: ProblemOutput, 400: None, 409: None},
        summary="Move a problem: contact, wait_buyer, resolve, cancel, reopen",
    )
    def post(self, request, pk):
        problem = access_problem(request.user, pk)
        data = TransitionInput(data=request.data)
        data.is_valid(raise_exception=True)
        transition(actor=request.user, problem=problem, now=clock.now(), **data.validated_data)
        return _problem_response(request, pk)


class ProblemMemoApi(APIView):
    @extend_schema(
        operation_id="problems_memo",
        request=MemoInput,
        responses={201: MemoOutput},
        summary="Write a memo (flag, reason) on the problem's order",
    )
    def post(self, request, pk):
        problem = _problem(request, pk)
        data = MemoInput(data=request.data)
        data.is_valid(raise_exception=True)
        problem_note(
            actor=request.user,
            problem=problem,
            text=data.validated_data["reason"],
            flag=data.validated_data["flag"],
            now=clock.now(),
        )
        memo = latest_memo(problem.order_id)
        return Response(MemoOutput(memo).data, status=status.HTTP_201_CREATED)
