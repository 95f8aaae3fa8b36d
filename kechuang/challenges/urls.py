from django.urls import path

from kechuang.challenges import views

app_name = "challenges"

urlpatterns = [
    path("challenges/", views.challenge_lists, name="lists"),
    path("challenges/<int:pk>/", views.challenge_detail, name="detail"),
    path("challenges/<int:pk>/edit/", views.challenge_edit, name="edit"),
    path("challenges/<int:pk>/race/<slug:action>/", views.challenge_race, name="race"),
    path("challenges/manage/", views.challenge_manage, name="manage"),
    path("challenges/lists/<int:pk>/publish/", views.challenge_list_publish, name="list_publish"),
]
