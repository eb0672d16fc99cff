from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(template_name="registration/login.html"), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # every user changes their password, and resets a forgotten one by e-mail (templates/registration/)
    path("accounts/password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password_change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(extra_context={"timeout_hours": settings.PASSWORD_RESET_TIMEOUT // 3600}),
        name="password_reset",
    ),
    path("accounts/password_reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("accounts/reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    # the one-time link of the e-mail a new user gets (services.organisations.user_invite)
    path(
        "accounts/password/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="admin/accounts_app/onboarding/password_set_done.html"),
        name="password_set_done",
    ),
    path(
        "accounts/password/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="admin/accounts_app/onboarding/password_set.html", success_url=reverse_lazy("password_set_done")
        ),
        name="password_set",
    ),
    path("", include("accounts_app.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
