"""`make run` with no variables set: debug is off, so visitors get the platform's Chinese error
pages, and the static files are still served (WhiteNoise, since runserver serves them only with
DEBUG)."""

import json

from tests.test_deploy import manage

PROBE = """
import json, sys, types
from django.conf import settings
from django.test import Client
from django.test.utils import override_settings
from django.urls import path

import config.urls

def boom(request):
    raise RuntimeError("a bug")

urls = types.ModuleType("probe_urls")
urls.urlpatterns = [path("boom/", boom), *config.urls.urlpatterns]
sys.modules["probe_urls"] = urls
with override_settings(ROOT_URLCONF="probe_urls"):
    client = Client(raise_request_exception=False, HTTP_HOST="127.0.0.1")
    pages = {url: client.get(url) for url in ("/no-such-page/", "/boom/", "/static/css/kechuang.css")}
print(json.dumps({"debug": settings.DEBUG, "hosts": settings.ALLOWED_HOSTS,
                  "pages": {url: [r.status_code, r.getvalue().decode()] for url, r in pages.items()}}))
"""


def test_development_defaults_show_the_chinese_error_pages(tmp_path):
    result = manage("shell", "-c", PROBE, env={"DJANGO_SETTINGS_MODULE": "config.settings",
                                               "KECHUANG_VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe["debug"] is False
    assert probe["hosts"] == ["127.0.0.1", "localhost", "[::1]"]
    status, page = probe["pages"]["/no-such-page/"]
    assert status == 404 and "页面不存在，或您无权查看。" in page and "Django" not in page
    status, page = probe["pages"]["/boom/"]
    assert status == 500 and "服务器出现错误，已记录，请稍后再试。" in page
    assert "Traceback" not in page and "SECRET_KEY" not in page
    status, stylesheet = probe["pages"]["/static/css/kechuang.css"]
    assert status == 200 and stylesheet
