from django.urls import path

from kechuang.accounts import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.sign_in, name="login"),
    path("sign-out/", views.sign_out, name="logout"),
    path("register/", views.register, name="register"),
    path("register/sent/", views.register_sent, name="register_sent"),
    path("register/continue/<str:token>/", views.register_continue, name="register_continue"),
    path("account/", views.profile, name="profile"),
    path("account/password/", views.password_change, name="password_change"),
    path("account/tokens/", views.tokens, name="tokens"),
    path("account/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("organization/", views.my_organization, name="my_organization"),
    path("organizations/", views.organization_list, name="organization_list"),
    path("organizations/<int:pk>/", views.organization_detail, name="organization_detail"),
    path("organizations/<int:pk>/resubmit/", views.organization_resubmit, name="organization_resubmit"),
    path("organizations/<int:pk>/members/", views.members, name="members"),
    path("members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("members/<int:pk>/role/", views.member_role, name="member_role"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("invitations/accept/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("verification/", views.verification_queue, name="verification_queue"),
    path("verification/<int:pk>/", views.verification_detail, name="verification_detail"),
    path("users/", views.user_list, name="user_list"),
    path("users/<int:pk>/roles/", views.user_roles, name="user_roles"),
]
