from django.contrib import admin
from django.urls import path

admin.site.site_header = "部门决算公开平台 · 管理"
admin.site.site_title = "部门决算公开平台"
admin.site.index_title = "管理首页"

urlpatterns = [
    path("admin/", admin.site.urls),
]
