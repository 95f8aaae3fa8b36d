from django.urls import path

from kechuang.instruments import views

app_name = "instruments"

urlpatterns = [
    path("instruments/", views.catalogue, name="catalogue"),
    path("instruments/new/", views.edit, name="new"),
    path("instruments/mine/", views.mine, name="mine"),
    path("instruments/queue/", views.queue, name="queue"),
    path("instruments/utilisation/", views.utilisation, name="utilisation"),
    path("instruments/warning/", views.warning, name="warning"),
    path("instruments/purchases/", views.purchases, name="purchases"),
    path("instruments/purchases/<int:pk>/", views.purchase, name="purchase"),
    path("instruments/<int:pk>/", views.detail, name="detail"),
    path("instruments/<int:pk>/edit/", views.edit, name="edit"),
    path("instruments/<int:pk>/request/<slug:kind>/", views.request_service, name="request"),
    path("instruments/services/<slug:kind>/<int:pk>/<slug:action>/", views.service_action, name="service_action"),
]
