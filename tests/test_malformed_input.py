"""Bodies the server cannot read and strings the database cannot store are refused with a message:
a multipart post without its boundary or cut short is a 400 on every upload (pages and API), and a
NUL character in any string of an API call is a 422 naming the field (PostgreSQL cannot store it)."""

import json

import pytest
from django.test import Client

from kechuang.accounts import services as account_services
from kechuang.achievements.tests.factories import make_achievement
from kechuang.demands.tests.factories import make_demand

PART = (b'--b\r\nContent-Disposition: form-data; name="dry_run"\r\n\r\non\r\n'
        b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.xlsx"\r\n'
        b'Content-Type: application/octet-stream\r\n\r\nPK\x03\x04abcdef\r\n--b--\r\n')
MALFORMED = {
    "no boundary": ("multipart/form-data", PART),
    "empty boundary": ("multipart/form-data; boundary=", PART),
    "boundary too long": ("multipart/form-data; boundary=" + "b" * 300, PART),
}
TRUNCATED = {
    "cut in the headers": ("multipart/form-data; boundary=b", PART[:60]),
    "cut in the file": ("multipart/form-data; boundary=b", PART[:-20]),
    "no part at all": ("multipart/form-data; boundary=b", b"garbage"),
}
UNREADABLE = "无法读取上传内容：请求正文不是格式正确的多部分表单数据。"


def uploads(world):
    """Every endpoint that takes a file, with the persona that may post to it."""
    draft_achievement = make_achievement(world).pk
    draft_demand = make_demand(world).pk
    return [
        ("institute_user", "/import/achievements/"), ("org_admin", "/import/demands/"),
        ("provider", "/import/instruments/"), ("bureau_officer", "/import/funded-projects/"),
        ("institute_user", f"/achievements/{draft_achievement}/attachments/"),
        ("org_admin", f"/demands/{draft_demand}/attachments/"),
        ("public", "/register/"),
    ]


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("variant", MALFORMED)
def test_a_multipart_post_without_a_boundary_is_a_400_with_a_message_on_every_page_upload(
        world, variant, debug, settings):
    settings.DEBUG = debug
    content_type, body = MALFORMED[variant]
    for persona, url in uploads(world):
        client = Client(raise_request_exception=False)
        if persona != "public":
            client.force_login(getattr(world.users, persona))
        response = client.generic("POST", url, body, content_type=content_type)
        assert response.status_code == 400, url
        assert UNREADABLE in response.content.decode(), url


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("variant", MALFORMED)
@pytest.mark.parametrize("url", ["/api/v1/achievements/import", "/api/v1/demands/import"])
def test_a_multipart_post_without_a_boundary_is_a_json_400_on_the_api_imports(world, url, variant, debug, settings):
    settings.DEBUG = debug  # ninja answers an unhandled error with a 500 traceback when DEBUG is on
    _token, raw = account_services.token_create(user=world.users.bureau_officer, name="t")
    content_type, body = MALFORMED[variant]
    response = Client(raise_request_exception=False).generic(
        "POST", url, body, content_type=content_type, headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 400
    assert response.json() == {"detail": UNREADABLE}


@pytest.mark.parametrize("variant", TRUNCATED)
@pytest.mark.parametrize("url", ["/api/v1/achievements/import", "/api/v1/demands/import", "/import/achievements/"])
def test_a_truncated_multipart_body_is_refused_with_a_message(world, url, variant):
    content_type, body = TRUNCATED[variant]
    client = Client(raise_request_exception=False)
    _token, raw = account_services.token_create(user=world.users.bureau_officer, name="t")
    client.force_login(world.users.bureau_officer)
    response = client.generic("POST", url, body, content_type=content_type, headers={"Authorization": f"Bearer {raw}"})
    if url.startswith("/api/"):
        assert response.status_code in (400, 422)
        assert response.json()["detail"]
    else:  # the page shows its form again, saying the file is missing
        assert response.status_code == 200
        assert "这个字段是必填项。" in response.content.decode()


def api_call(world, method, url, payload, persona="institute_user"):
    _token, raw = account_services.token_create(user=getattr(world.users, persona), name="t")
    return Client(raise_request_exception=False).generic(
        method, url, json.dumps(payload), content_type="application/json", headers={"Authorization": f"Bearer {raw}"})


NUL = "\x00"


@pytest.mark.parametrize(("path", "where"), [
    (("name",), "name"), (("summary",), "summary"), (("patent_numbers", 0), "patent_numbers"),
    (("completers", 0, 1), "completers"), (("transfer_modes", 0), "transfer_modes"),
])
def test_a_nul_in_any_string_of_a_json_body_is_a_422_naming_the_field(world, path, where):
    payload = {"name": "接口登记的成果", "summary": "通过 API 登记。", "patent_numbers": ["ZL2020"],
               "completers": [["张三", "测试材料研究院"]], "transfer_modes": ["licence"]}
    target = payload
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = f"含{NUL}空字符"
    response = api_call(world, "POST", "/api/v1/achievements", payload)
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", *path]
    assert error["msg"] == "文本不能包含空字符。"
    assert not world.orgs.institute.achievements.exists()


def test_a_nul_in_a_key_of_a_json_object_is_refused_too(world):
    response = api_call(world, "POST", "/api/v1/achievements", {"name": "x", "summary": "y", f"k{NUL}": 1})
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == "文本不能包含空字符。"


def test_a_nul_in_a_query_parameter_is_a_422(world):
    response = api_call(world, "GET", f"/api/v1/achievements?query=a{NUL}b", None)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "query"]


def test_a_nul_in_a_multipart_form_field_is_a_422(world):
    _token, raw = account_services.token_create(user=world.users.bureau_officer, name="t")
    response = Client(raise_request_exception=False).post(
        "/api/v1/achievements/import", {"dry_run": f"true{NUL}"}, headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["form", "dry_run"]


def test_a_json_body_that_is_not_json_is_still_a_400(world):
    _token, raw = account_services.token_create(user=world.users.institute_user, name="t")
    response = Client().generic("POST", "/api/v1/achievements", b"{not json", content_type="application/json",
                                headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 400
    assert response.json() == {"detail": "Cannot parse request body"}


@pytest.mark.parametrize(("persona", "url", "field"), [
    ("institute_user", "/achievements/new/", "name"), ("public", "/register/", "name"),
    ("org_admin", "/demands/new/", "title"), ("bureau_officer", "/import/achievements/", "upload"),
])
def test_a_nul_in_any_posted_form_field_is_a_400_with_a_message(world, persona, url, field):
    """Django's form fields refuse NUL, but views also read posted values directly (a reason, the
    upload key of an import): every posted field is checked before any view runs."""
    client = Client(raise_request_exception=False)
    if persona != "public":
        client.force_login(getattr(world.users, persona))
    response = client.post(url, {field: f"名称{NUL}"})
    assert response.status_code == 400
    assert "文本不能包含空字符。" in response.content.decode()


def test_a_nul_in_a_reason_read_straight_from_the_post_changes_nothing(world, client_for):
    from kechuang.vouchers.models import Voucher
    from kechuang.vouchers.tests.test_access import application

    pk = application(world)[0]
    response = Client(raise_request_exception=False)
    response.force_login(world.users.bureau_officer)
    answer = response.post(f"/vouchers/{pk}/reject/", {"reason": f"不符合{NUL}条件"})
    assert answer.status_code == 400
    assert Voucher.objects.get(pk=pk).status == "applied"


def test_a_nul_in_an_api_path_is_a_422(world):
    response = api_call(world, "DELETE", f"/api/v1/users/{world.users.broker.pk}/roles/broker%00", None,
                        persona="bureau_admin")
    assert response.status_code == 422
    assert response.json()["detail"][0] == {"type": "string_nul", "loc": ["path"], "msg": "文本不能包含空字符。"}
    assert world.users.broker.role_set == {"broker"}


@pytest.mark.parametrize("url", ["/achievements/?query=%E7%94%B5%00", "/demands/?budget_min=1%00",
                                 "/invitations/accept/abc%00/"])
def test_a_nul_in_a_page_address_is_a_400_with_a_message(db, client, url):
    response = Client(raise_request_exception=False).get(url)
    assert response.status_code == 400
    assert "文本不能包含空字符。" in response.content.decode()


def test_a_lone_surrogate_in_a_json_string_is_a_422(world):
    _token, raw = account_services.token_create(user=world.users.institute_user, name="t")
    response = Client().generic("POST", "/api/v1/achievements", b'{"name": "\\ud800", "summary": "y"}',
                                content_type="application/json", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 422
    assert response.json()["detail"] == [{"type": "string_unicode", "loc": ["body", "name"],
                                          "msg": "文本包含无效字符。"}]


def test_an_id_list_with_a_number_no_column_holds_matches_nothing(world):
    from kechuang.accounts.models import Organization

    ids = [world.orgs.enterprise.pk, 2 ** 63, -(2 ** 63) - 1, 10 ** 30]
    assert list(Organization.objects.filter(pk__in=ids)) == [world.orgs.enterprise]
    assert list(Organization.objects.filter(pk__in=[2 ** 64])) == []


def test_a_multiple_choice_with_a_huge_id_is_a_form_error(world, client_for):
    response = client_for("bureau_officer").post("/programmes/manage/programmes/new/", {
        "name": "新计划", "kind": "nsf_research", "naming_threshold": "100", "topic_fields": ["9223372036854775808"]})
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()


@pytest.mark.parametrize("payload", [{"starts_at": "2027-06-01T10:00:00", "ends_at": "2027-06-01T12:00:00+08:00"},
                                     {"starts_at": "2027-06-01T10:00:00+08:00", "ends_at": "2027-06-01"}])
def test_a_booking_time_without_its_offset_is_a_422(world, payload):
    from kechuang.instruments.models import Booking
    from kechuang.instruments.tests.factories import make_instrument

    instrument = make_instrument(world)
    response = api_call(world, "POST", f"/api/v1/instruments/{instrument.pk}/bookings", payload | {"purpose": "检测"},
                        persona="org_admin")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] in ("starts_at", "ends_at")
    assert not Booking.objects.exists()


def test_api_texts_longer_than_their_column_are_422_not_stored(world):
    from kechuang.accounts.models import Invitation, RoleGrant

    response = api_call(world, "POST", f"/api/v1/organizations/{world.orgs.enterprise.pk}/invitations",
                        {"email": "x" * 5000, "role": "member"}, persona="org_admin")
    assert response.status_code == 422
    assert list(response.json()["detail"]) == ["email"]
    response = api_call(world, "POST", f"/api/v1/users/{world.users.expert.pk}/roles",
                        {"role": "broker", "department": "处" * 61}, persona="bureau_admin")
    assert response.status_code == 422
    assert list(response.json()["detail"]) == ["department"]
    assert not Invitation.objects.exists()
    assert not RoleGrant.objects.filter(user=world.users.expert, role="broker").exists()
