from django.urls import path

from kechuang.achievements import views

app_name = "achievements"

urlpatterns = [
    path("achievements/", views.portal, name="portal"),
    path("achievements/mine/", views.mine, name="mine"),
    path("achievements/new/", views.create, name="create"),
    path("achievements/review/", views.review_queue, name="review_queue"),
    path("achievements/registration/", views.registration_report, name="registration_report"),
    path("achievements/<int:pk>/", views.detail, name="detail"),
    path("achievements/<int:pk>/edit/", views.edit, name="edit"),
    path("achievements/<int:pk>/history/", views.history, name="history"),
    path("achievements/<int:pk>/attachments/", views.attach, name="attach"),
    path("achievements/<int:pk>/<slug:action>/", views.transition, name="transition"),
]
