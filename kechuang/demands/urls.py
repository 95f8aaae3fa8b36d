from django.urls import path

from kechuang.demands import views

app_name = "demands"

urlpatterns = [
    path("demands/", views.portal, name="portal"),
    path("demands/mine/", views.mine, name="mine"),
    path("demands/new/", views.create, name="create"),
    path("demands/review/", views.review_queue, name="review_queue"),
    path("demands/challenge-candidates/", views.challenge_candidates, name="challenge_candidates"),
    path("demands/<int:pk>/", views.detail, name="detail"),
    path("demands/<int:pk>/edit/", views.edit, name="edit"),
    path("demands/<int:pk>/attachments/", views.attach, name="attach"),
    path("demands/<int:pk>/<slug:action>/", views.transition, name="transition"),
]
