"""Mounted at /api/ by accounts_app.urls; names live in the "api" namespace."""

from . import api

app_name = api.urls_namespace
urlpatterns = api.urls[0]
