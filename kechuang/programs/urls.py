from django.urls import path

from kechuang.programs import views

app_name = "programs"

urlpatterns = [
    path("programmes/", views.call_list, name="call_list"),
    path("programmes/calls/<int:pk>/", views.call_detail, name="call_detail"),
    path("programmes/calls/<int:pk>/apply/", views.apply, name="apply"),
    path("programmes/manage/", views.manage, name="manage"),
    path("programmes/manage/programmes/new/", views.programme_edit, name="programme_new"),
    path("programmes/manage/programmes/<int:pk>/", views.programme_detail, name="programme_detail"),
    path("programmes/manage/programmes/<int:pk>/edit/", views.programme_edit, name="programme_edit"),
    path("programmes/manage/calls/new/", views.call_edit, name="call_new"),
    path("programmes/manage/calls/<int:pk>/edit/", views.call_edit, name="call_edit"),
    path("programmes/manage/calls/<int:pk>/form/", views.call_form, name="call_form"),
    path("programmes/manage/calls/<int:pk>/publish/", views.call_publish, name="call_publish"),
    path("programmes/manage/calls/<int:pk>/applications/", views.call_applications, name="call_applications"),
    path("programmes/manage/calls/<int:pk>/review/", views.call_review, name="call_review"),
    path("programmes/manage/calls/<int:pk>/results/", views.call_results, name="call_results"),
    path("programmes/manage/unregistered/", views.unregistered, name="unregistered"),
    path("applications/", views.my_applications, name="my_applications"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("applications/<int:pk>/edit/", views.application_edit, name="application_edit"),
    path("applications/<int:pk>/pdf/", views.application_pdf, name="application_pdf"),
    path("applications/<int:pk>/<slug:action>/", views.application_action, name="application_action"),
    path("reviews/", views.my_reviews, name="my_reviews"),
    path("reviews/<int:pk>/", views.review, name="review"),
    path("projects/", views.project_list, name="project_list"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("projects/<int:pk>/letter.<slug:fmt>", views.award_letter, name="award_letter"),
    path("projects/<int:pk>/<slug:action>/", views.project_action, name="project_action"),
]
