from django.urls import path

from .views import auth, home, users

app_name = "accounts"

urlpatterns = [
    path("staff/", home.home, name="home"),
    path("staff/locations/<int:pk>/", home.location_detail, name="location_detail"),
    path("accounts/login/", auth.login, name="login"),
    path("accounts/logout/", auth.logout, name="logout"),
    path("accounts/verify/", auth.verify, name="mfa"),
    path("accounts/enrol/", auth.enrol, name="enrol"),
    path("accounts/recovery-codes/", auth.recovery_codes, name="recovery_codes"),
    path("accounts/password-reset/", auth.password_reset, name="password_reset"),
    path("accounts/password-reset/sent/", auth.password_reset_done, name="password_reset_done"),
    path(
        "accounts/password-reset/<uidb64>/<token>/",
        auth.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path(
        "accounts/password-reset/complete/",
        auth.password_reset_complete,
        name="password_reset_complete",
    ),
    path("staff/users/", users.user_list, name="user_list"),
    path("staff/users/new/", users.user_create, name="user_create"),
    path("staff/users/<int:pk>/", users.user_edit, name="user_edit"),
    path("staff/users/<int:pk>/switch-off/", users.user_deactivate, name="user_deactivate"),
    path("staff/users/<int:pk>/switch-on/", users.user_activate, name="user_activate"),
    path("staff/users/<int:pk>/unlock/", users.user_unlock, name="user_unlock"),
    path("staff/users/<int:pk>/reset-authenticator/", users.user_reset_mfa, name="user_reset_mfa"),
    path(
        "staff/users/<int:pk>/password-link/",
        users.user_send_password_link,
        name="user_send_password_link",
    ),
    path(
        "staff/role-requests/<int:pk>/approve/",
        users.role_request_approve,
        name="role_request_approve",
    ),
    path(
        "staff/role-requests/<int:pk>/decline/",
        users.role_request_decline,
        name="role_request_decline",
    ),
]
