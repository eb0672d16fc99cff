"""Mounted at /api/ by accounts_app.urls; names live in the "api" namespace. /api/ itself is
the documentation page ("api:openapi-view"). Any other address under /api/ answers the
API's JSON 404 (`not_found`), not the site's HTML page."""

from django.urls import re_path

from . import api, not_found

app_name = api.urls_namespace
urlpatterns = [*api.urls[0], re_path(r"", not_found, name="not_found")]
