from django.apps import AppConfig


class AccountsAppConfig(AppConfig):
    name = "accounts_app"
    verbose_name = "部门决算公开"
    default_auto_field = "django.db.models.BigAutoField"
