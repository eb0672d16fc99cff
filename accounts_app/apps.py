from django.apps import AppConfig


class AccountsAppConfig(AppConfig):
    name = "accounts_app"
    verbose_name = "部门决算公开"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from . import caching
        from .models import Department, FunctionSubject, GlossaryTerm, Region, Unit
        from .services.listing import listing_refresh_organisation

        for model in (GlossaryTerm, FunctionSubject):  # shown on every disclosure page
            post_save.connect(caching.forget_all_pages, sender=model, dispatch_uid=f"pages-{model.__name__}-save")
            post_delete.connect(caching.forget_all_pages, sender=model, dispatch_uid=f"pages-{model.__name__}-delete")

        def organisation_saved(sender, instance, created=False, raw=False, **_):
            # The lists copy the names and codes (services.listing); a new organisation has no
            # disclosure yet, and a raw save (a backup being restored) brings its copies along.
            if created or raw:
                return
            if listing_refresh_organisation(organisation=instance):
                caching.forget_all_pages()  # every page naming it, the cached lists included

        for model in (Region, Department, Unit):
            # weak=False: the handler is local to ready(), nothing else keeps it alive
            post_save.connect(organisation_saved, sender=model, weak=False, dispatch_uid=f"listing-{model.__name__}-save")
