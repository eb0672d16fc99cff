"""The admin entirely in Chinese: fetched as a superuser, the index, every application's
page, every list (each with at least one row of the models whose labels came in English:
axes' records, django_tasks_db's results), every add form and the page of a row of each
model carry no English label: every caption, column header, heading, model and application
name, breadcrumb, form label and aria-label/title/placeholder has Chinese characters in it
(or no letters at all). The name of the object a page shows is data, and not checked."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts_app.models import Membership, Unit
from accounts_app.services import workflow
from tests.conftest import corrected_seed_bytes

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")
LETTERS = re.compile(r"[A-Za-z]")
# Where the admin names things (rather than shows data): text inside these elements…
LABEL_TAGS = {"caption", "thead", "h1", "h2", "h3", "title", "label", "legend"}
# …and these attributes of any element.
LABEL_ATTRIBUTES = {"aria-label", "title", "placeholder"}
# The English the old admin home showed (issue 20), asserted absent by name as well.
ENGLISH = (
    "AXES", "Axes", "Access attempts", "Access logs", "Access failures", "Access Attempt", "Task Results",
    "Tasks Database Backend", "Model name", "Groups", "Users", "Authentication and Authorization",
)


class _Labels(HTMLParser):
    """The label texts of an admin page, each with where it was found."""

    VOID = {"input", "br", "img", "meta", "link", "hr", "source", "col", "area", "base", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict]] = []
        self.texts: list[tuple[str, str]] = []
        self.current: list[list[str]] = []

    def _in_label(self) -> str | None:
        for tag, attrs in self.stack:
            classes = attrs.get("class", "").split()
            if tag in LABEL_TAGS or "breadcrumbs" in classes:
                return tag if tag in LABEL_TAGS else "breadcrumbs"
            # model names in the app lists (index, application pages, the side bar)
            if tag == "th" and attrs.get("scope") == "row" and any(t == "table" for t, _ in self.stack):
                if any("module" in a.get("class", "").split() or a.get("id") == "nav-sidebar" for _, a in self.stack):
                    return "model name"
        return None

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        for name in LABEL_ATTRIBUTES & attrs.keys():
            self.texts.append((f"{tag}[{name}]", attrs[name]))
        if tag in self.VOID:
            return
        self.stack.append((tag, attrs))
        self.current.append([])

    def handle_endtag(self, tag):
        while self.stack:
            where = self._in_label()  # the closing element included
            open_tag, _ = self.stack.pop()
            parts = self.current.pop()
            text = re.sub(r"\s+", " ", "".join(parts)).strip()
            if self.current:
                self.current[-1].append(" " + "".join(parts) + " ")
            if where and text and open_tag in LABEL_TAGS | {"th", "div", "a", "span"}:
                self.texts.append((where, text))
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self.current:
            self.current[-1].append(data)


def english_labels(html: str) -> list[tuple[str, str]]:
    parser = _Labels()
    parser.feed(html)
    # a breadcrumb trail is several labels: 首页 › 登录防护 › 登录日志
    texts = {(where, part.strip()) for where, text in parser.texts for part in text.split("›")}
    return sorted((where, text) for where, text in texts if LETTERS.search(text) and not CJK.search(text))


def english_words(html: str) -> list[str]:
    """The English names of issue 20 anywhere in the page's text (not its addresses)."""
    text = re.sub(r"<[^>]*>", " ", html)
    return [word for word in ENGLISH if re.search(rf"\b{re.escape(word)}\b", text)]


@pytest.fixture
def rows_of_every_kind(seed_disclosure, django_user_model):
    """A superuser, and a row in the lists that had English labels, and in ours."""
    root = django_user_model.objects.create_superuser("root", "root@example.gov.cn", "x")
    disclosure = seed_disclosure("000")
    Unit.objects.create(department=disclosure.department, name="凤泉区医疗保障局本级", is_main=True)
    accountant = django_user_model.objects.create_user("kuaiji", email="k@example.gov.cn")
    Membership.objects.create(user=accountant, role=Membership.Role.ACCOUNTANT, department=disclosure.department)
    workflow.version_upload(
        disclosure=disclosure, data=corrected_seed_bytes("000"), filename="seed_000.xlsx", actor=workflow.Actor(accountant)
    )
    Group.objects.create(name="填报人")
    common = {"ip_address": "10.0.0.1", "user_agent": "Mozilla/5.0", "http_accept": "*/*", "path_info": "/admin/login/"}
    AccessAttempt.objects.create(username="somebody", get_data="", post_data="", failures_since_start=2, **common)
    AccessLog.objects.create(username="root", **common)
    AccessFailureLog.objects.create(username="somebody", locked_out=False, **common)
    DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="accounts_app.tasks.publication_files",
        backend_name="default",
        run_after=timezone.now(),
        exception_class_path="",
        traceback="",
    )
    return root


def admin_pages() -> list[tuple[str, str]]:
    """The index, every application's page, and of every model its list, its add form and
    the page of its first row; each with the name of the object it shows (data, such as
    axes' English 「Access Log for root @ …」 of a record, not a label)."""
    pages = [("/admin/", ""), ("/admin/accounts_app/department/onboard/", ""), ("/admin/accounts_app/department/import/", "")]
    labels = sorted({model._meta.app_label for model in admin.site._registry})
    pages += [(f"/admin/{label}/", "") for label in labels]
    for model, model_admin in admin.site._registry.items():
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        pages.append((base, ""))
        if model_admin.has_add_permission(_SuperuserRequest()):
            pages.append((base + "add/", ""))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            pages.append((f"{base}{first.pk}/change/", str(first)))
    return pages


class _SuperuserRequest:
    class user:  # noqa: N801 — what has_add_permission asks of a request
        is_active = is_staff = is_superuser = True

        @staticmethod
        def has_perm(*_):
            return True


def test_the_check_finds_english_labels():
    html = """<title>Site administration</title><div class="breadcrumbs"><a href="/">首页</a> › Access logs</div>
    <div class="module"><table><caption><a title="Models in the Axes application">Axes</a></caption>
    <thead><tr><th scope="col">Model name</th></tr></thead>
    <tr><th scope="row"><a href="#">Access attempts</a></th><td>somebody</td></tr></table></div>
    <table id="result_list"><thead><tr><th><div class="text">IP 地址</div></th></tr></thead>
    <tbody><tr><th><a href="#">root</a></th><td>Mozilla/5.0</td></tr></tbody></table>
    <input placeholder="Start typing to filter…">"""
    found = {text for _, text in english_labels(html)}
    assert english_words(html) == ["Axes", "Access attempts", "Access logs", "Model name"]
    assert found == {
        "Site administration",
        "Access logs",
        "Models in the Axes application",
        "Axes",
        "Model name",
        "Access attempts",
        "Start typing to filter…",
    }


def test_every_admin_page_is_in_chinese(client, rows_of_every_kind):
    client.force_login(rows_of_every_kind)
    found = {}
    for url, shown in admin_pages():
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        english = [(where, text) for where, text in english_labels(html) if text != shown]
        english += [("text", word) for word in english_words(html)]
        if english:
            found[url] = english
    assert not found, found


def test_the_lists_that_were_english_have_rows_and_chinese_headers(client, rows_of_every_kind):
    """The check above reads the column headers only where a list has rows: these do."""
    client.force_login(rows_of_every_kind)
    expected = {
        "/admin/axes/accessattempt/": ["时间", "IP地址", "浏览器标识", "用户名", "路径", "失败次数", "状态"],
        "/admin/axes/accesslog/": ["时间", "退出时间", "IP地址", "用户名", "浏览器标识", "路径"],
        "/admin/axes/accessfailurelog/": ["时间", "IP地址", "用户名", "浏览器标识", "路径", "已锁定"],
        "/admin/django_tasks_database/dbtaskresult/": ["编号", "任务", "状态", "排队时间", "开始时间", "结束时间", "优先级", "队列"],
    }
    for url, headers in expected.items():
        html = client.get(url).content.decode()
        thead = re.search(r"<thead>(.*?)</thead>", html, re.S).group(1)
        shown = [re.sub(r"<[^>]+>|\s+", "", cell) for cell in re.findall(r"<th[^>]*>(.*?)</th>", thead, re.S)]
        assert [cell for cell in shown if cell] == headers, url


def test_the_index_names_the_apps_in_chinese(client, rows_of_every_kind):
    client.force_login(rows_of_every_kind)
    html = client.get("/admin/").content.decode()
    captions = [re.sub(r"<[^>]+>|\s+", "", c) for c in re.findall(r"<caption>(.*?)</caption>", html, re.S)]
    assert captions == ["常用操作", "后台任务", "登录防护", "认证和授权", "部门决算公开"]
    for name in ("登录失败记录", "登录失败日志", "登录日志", "后台任务", "用户", "组"):
        assert f">{name}</a>" in html
    assert "<title>管理首页 | 部门决算公开平台</title>" in html
    assert "部门决算公开平台 · 管理" in html
    assert "还可尝试 3 次" in client.get("/admin/axes/accessattempt/").content.decode()
