from django.urls import path

from kechuang.vouchers import views

app_name = "vouchers"

urlpatterns = [
    path("vouchers/", views.overview, name="overview"),
    path("vouchers/schemes/<int:pk>/apply/", views.apply, name="apply"),
    path("vouchers/manage/", views.manage, name="manage"),
    path("vouchers/<int:pk>/<slug:action>/", views.decide, name="decide"),
    path("vouchers/settlements/", views.settlements, name="settlements"),
    path("vouchers/settlements/request/", views.settlement_request, name="settlement_request"),
    path("vouchers/settlements/<int:pk>/", views.settlement_detail, name="settlement_detail"),
    path("vouchers/settlements/<int:pk>/<slug:action>/", views.settlement_review, name="settlement_review"),
]
