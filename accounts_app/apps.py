from django.apps import AppConfig


class AccountsAppConfig(AppConfig):
    name = "accounts_app"
    verbose_name = "部门决算公开"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from . import caching
        from .models import FunctionSubject, GlossaryTerm

        for model in (GlossaryTerm, FunctionSubject):  # shown on every disclosure page
            post_save.connect(caching.forget_all_pages, sender=model, dispatch_uid=f"pages-{model.__name__}-save")
            post_delete.connect(caching.forget_all_pages, sender=model, dispatch_uid=f"pages-{model.__name__}-delete")
