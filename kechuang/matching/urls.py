from django.urls import path

from kechuang.matching import views

app_name = "matching"

urlpatterns = [
    path("matching/", views.find_solution, name="find_solution"),
    path("matching/recommended/", views.recommended, name="recommended"),
    path("matching/demands/<int:pk>/", views.demand_matches, name="demand_matches"),
    path("matching/achievements/<int:pk>/", views.achievement_demands, name="achievement_demands"),
    path("matching/feedback/", views.feedback, name="feedback"),
    path("matching/intent/<int:demand_pk>/<int:achievement_pk>/", views.intent, name="intent"),
    path("matching/cases/", views.cases, name="cases"),
    path("matching/cases/queue/", views.broker_queue, name="broker_queue"),
    path("matching/cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("matching/cases/<int:pk>/<slug:action>/", views.case_action, name="case_action"),
    path("matching/overview/", views.overview, name="overview"),
    path("matching/overview/rebuild/", views.rebuild, name="rebuild"),
]
