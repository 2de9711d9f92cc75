from django.urls import path

from .views import buyers, digest, imports, orders, problem_actions, problems

app_name = "orders"
urlpatterns = [
    path("", orders.order_list, name="list"),
    path("<int:pk>/", orders.order_detail, name="detail"),
    path("<int:pk>/memo/", orders.order_memo, name="memo"),
    path("import/", imports.import_page, name="import"),
    path("import/<int:pk>/", imports.import_run, name="import_run"),
    path("import/sample.csv", imports.import_sample, name="import_sample"),
    path("import/items-sample.csv", imports.import_items_sample, name="import_items_sample"),
    path("problems/", problems.queue, name="problems"),
    path("problems/new/", problems.problem_new, name="problem_new"),
    path("problems/claim-next/", problems.claim_next, name="claim_next"),
    path("problems/<int:pk>/", problems.problem_detail, name="problem"),
    path("problems/<int:pk>/<slug:action>/", problem_actions.problem_action, name="problem_action"),
    path("buyers/<int:pk>/", buyers.buyer_file, name="buyer"),
    path("buyers/<int:pk>/wishes/", buyers.buyer_wish_add, name="buyer_wish_add"),
    path("stock/", buyers.stock, name="stock"),
    path("stock/<int:pk>/", buyers.stock_set, name="stock_set"),
    path("digest/", digest.digest, name="digest"),
    path("digest/build/", digest.digest_build, name="digest_build"),
    path("digest/<int:pk>.xlsx", digest.digest_xlsx, name="digest_xlsx"),
]
