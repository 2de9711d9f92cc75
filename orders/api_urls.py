from django.urls import path

from .api import views

urlpatterns = [
    path("orders/", views.OrderListApi.as_view(), name="api-orders"),
    path("orders/<int:pk>/", views.OrderDetailApi.as_view(), name="api-order"),
    path("problems/", views.ProblemListApi.as_view(), name="api-problems"),
    path(
        "problems/claim-next/", views.ProblemClaimNextApi.as_view(), name="api-problem-claim-next"
    ),
    path("problems/<int:pk>/claim/", views.ProblemClaimApi.as_view(), name="api-problem-claim"),
    path(
        "problems/<int:pk>/transition/",
        views.ProblemTransitionApi.as_view(),
        name="api-problem-transition",
    ),
    path("problems/<int:pk>/memos/", views.ProblemMemoApi.as_view(), name="api-problem-memo"),
]
