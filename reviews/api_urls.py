from django.urls import path

from .api import views

urlpatterns = [
    path("reviews/", views.ReviewListCreate.as_view(), name="api-reviews"),
    path("reviews/<int:pk>/", views.ReviewDetail.as_view(), name="api-review"),
    path(
        "reviews/<int:pk>/transition/",
        views.ReviewTransitionView.as_view(),
        name="api-review-transition",
    ),
    path("reviews/<int:pk>/assign/", views.ReviewAssignView.as_view(), name="api-review-assign"),
    path("reviews/<int:pk>/drafts/", views.ReviewDraftView.as_view(), name="api-review-drafts"),
    path(
        "reviews/<int:pk>/extortion/",
        views.ReviewExtortionView.as_view(),
        name="api-review-extortion",
    ),
    path(
        "reviews/<int:pk>/evidence/", views.ReviewEvidenceView.as_view(), name="api-review-evidence"
    ),
    path(
        "reviews/<int:pk>/evidence-pack/",
        views.ReviewEvidencePackView.as_view(),
        name="api-review-evidence-pack",
    ),
]
