from django.urls import include, path

from config.api import address_not_found, api, unreadable_request

urlpatterns = [
    path("", include("kechuang.core.urls")),
    path("", include("kechuang.accounts.urls")),
    path("", include("kechuang.achievements.urls")),
    path("", include("kechuang.demands.urls")),
    path("", include("kechuang.experts.urls")),
    path("", include("kechuang.matching.urls")),
    path("", include("kechuang.programs.urls")),
    path("", include("kechuang.challenges.urls")),
    path("", include("kechuang.instruments.urls")),
    path("", include("kechuang.vouchers.urls")),
    path("api/v1/", api.urls),
]

handler400 = unreadable_request
handler404 = address_not_found
