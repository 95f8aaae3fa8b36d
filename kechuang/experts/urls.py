from django.urls import path

from kechuang.experts import views

app_name = "experts"

urlpatterns = [
    path("specialists/<int:pk>/", views.detail, name="detail"),
    path("specialists/me/conflicts/", views.conflicts, name="conflicts"),
    path("specialists/me/conflicts/<int:pk>/withdraw/", views.conflict_withdraw, name="conflict_withdraw"),
    path("specialists/me/<slug:kind>/", views.edit_own, name="edit_own"),
]
