from django.urls import path

from . import views

app_name = "reviews"
urlpatterns = [
    path("", views.review_list, name="list"),
    path("register/", views.review_register, name="register"),
    path("import/", views.review_import, name="import"),
    path("import/sample.csv", views.review_import_sample, name="import_sample"),
    path("register.xlsx", views.review_register_xlsx, name="register_xlsx"),
    path("<int:pk>/", views.review_detail, name="detail"),
    path("<int:pk>/transition/", views.review_transition, name="transition"),
    path("<int:pk>/assign/", views.review_assign, name="assign"),
    path("<int:pk>/drafts/check/", views.draft_check, name="draft_check"),
    path("<int:pk>/drafts/", views.draft_save, name="draft_save"),
    path("<int:pk>/extortion/", views.mark_extortion, name="mark_extortion"),
    path("<int:pk>/evidence/", views.select_evidence, name="select_evidence"),
    path("<int:pk>/evidence.zip", views.evidence_pack, name="evidence_pack"),
]
