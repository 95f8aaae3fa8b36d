"""No input gives a server error. Every form and every API write of the platform is posted
hostile values (huge and overflowing numbers, NaN, Infinity, negatives, NUL characters, very long
text, malformed dates, naive datetimes, values of the wrong type, missing or repeated fields) on top
of a valid submission, as a persona who may perform it; each answer must be a success or a 4xx that
says why, and no stored value may leave the range its column and validators allow.

"Every" is enforced: the page writes are read from the URL patterns (a view that takes a post), the
API writes from the OpenAPI schema, and a write without a case here fails the first test. Where the
object, persona and valid data come from: the apps' ACCESS_CASES (the allowed persona and the
builder of the object in the right state), then the form the page renders (parsed from its HTML),
the form class or the OpenAPI body schema, then the overrides of the case.

Two families of hostile values per endpoint: `shape` (text, types, malformed dates, naive datetimes,
NUL) and `ranges` (numbers and dates at and past every bound). Each example runs in a savepoint
that is rolled back, so every one starts from the same state."""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, note
from hypothesis import settings as examples
from hypothesis import strategies as st

from tests import fuzzing
from tests.test_url_policies import all_access_cases

EXAMPLES = 10

# --- hostile values --------------------------------------------------------------------------------

NUMBERS = ["1e30", "1E+999999999", "-1E+999999999", "1e-999999999", "NaN", "sNaN", "-NaN", "Infinity",
           "-Infinity", "inf", "-1", "-0.01", "0", "0.001", "99999999999999999999999999.99",
           "9223372036854775808", "-9223372036854775809", "18446744073709551616", "1" * 400]
DATES = ["0001-01-01", "1900-01-01", "1970-01-01", "9999-12-31", "2099-12-31", "0001-01-01T00:00:00+14:00",
         "9999-12-31T23:59:59-12:00", "2099-12-31T23:59:59+08:00", "1900-01-01T00:00:00+08:00"]
TEXT = ["\x00", "前\x00后", "", " ", "\t\n", "x" * 5000, "测" * 20000, "‮RTL", "😀" * 300, "<script>alert(1)</script>",
        "' OR 1=1 --", "../../etc/passwd", "１２３", "١٢٣", "¹²³", "demand:abc", "achievement:-1", "None", "null"]
MALFORMED_DATES = ["2025-02-30", "2025-13-01", "2025-00-10", "99999-01-01", "not a date", "2025/06/01",
                   "2027-06-01T10:00:00", "2027-06-01 10:00", "2027-06-01T25:61:00+08:00", "T", "-1"]
JSON_TYPES = [None, True, False, [], {}, ["a", 1], {"a": 1}, 0, -1, 1.5, 10 ** 30, 2 ** 64, -(2 ** 63) - 1, 1e308,
              float("nan"), float("inf"), "1", "true"]
MISSING = object()

FAMILIES = {
    "shape": {"form": TEXT + MALFORMED_DATES + [MISSING, ["a", "b"]], "json": TEXT + MALFORMED_DATES + JSON_TYPES
              + [MISSING, "\ud800"]},
    "ranges": {"form": NUMBERS + DATES, "json": NUMBERS + DATES + [10 ** 30, -(10 ** 30), 1e308, -1e308,
                                                                  float("nan"), float("inf")]},
}


# --- the cases --------------------------------------------------------------------------------------


@dataclass
class FuzzCase:
    url_name: str
    label: str = ""
    persona: str | None = None  # default: the first allowed persona of the app's ACCESS_CASES
    args: Callable | None = None  # default: the builder of the same access case
    data: Callable = field(default=lambda world: {})  # valid values on top of what the form gives
    form: Callable | None = None  # a form class whose fields to fill (forms shown on another page)
    fields: tuple = ()  # names to fuzz that neither the page nor the form class shows

    @property
    def id(self):
        return f"{self.url_name}[{self.label}]" if self.label else self.url_name


def _lazy(module, name):
    def build(world):
        import importlib

        return getattr(importlib.import_module(module), name)(world)

    return build


def _form(module, name):
    def load():
        import importlib

        return getattr(importlib.import_module(module), name)

    return load


ACH = "kechuang.achievements.tests.test_access"
DEM = "kechuang.demands.tests.test_access"
MAT = "kechuang.matching.tests.test_access"
INS = "kechuang.instruments.tests.test_access"
VOU = "kechuang.vouchers.tests.test_access"
PRG = "kechuang.programs.tests.test_access"
ACC = "kechuang.accounts.tests.test_access"


def accepted_case(world):
    from kechuang.matching import services
    from kechuang.matching.models import Matchmaking

    pk = _lazy(MAT, "case")(world)[0]
    services.case_accept(case=Matchmaking.objects.get(pk=pk), by=world.users.institute_user)
    return [pk]


def confirmed_booking(world):
    return ["booking", *_lazy(INS, "confirmed_booking")(world)]


def completed_booking(world):
    from kechuang.instruments.models import Booking

    pk = _lazy(INS, "confirmed_booking")(world)[0]
    Booking.objects.filter(pk=pk).update(status="completed", effective_hours=Decimal("1"), cost=Decimal("100"),
                                         completed_on=timezone.localdate())
    return ["booking", pk]


def in_review(world):
    from kechuang.programs.choices import ApplicationStatus
    from kechuang.programs.models import Application

    pk = _lazy(PRG, "submitted")(world)[0]
    Application.objects.filter(pk=pk).update(status=ApplicationStatus.IN_REVIEW)
    return [pk]


def draft_call(world):
    from kechuang.programs.choices import CallStatus
    from kechuang.programs.tests.factories import make_call

    return [make_call(status=CallStatus.DRAFT).pk]


def registration(world):
    from kechuang.accounts.tests.factories import valid_uscc
    from kechuang.core.models import District

    return {"org_name": "新注册的科技有限公司", "kind": "enterprise", "uscc": valid_uscc(977),
            "district": District.objects.first().pk, "address": "科技路1号", "contact_name": "张三",
            "contact_phone": "13812345678", "password1": "Kc-fuzz-Passw0rd!", "password2": "Kc-fuzz-Passw0rd!",
            "name": "张三", "email": "fuzz-new@example.cn", "mobile": "13912345678"}


def booking_times(world):
    start = timezone.localtime() + timedelta(days=5)
    return {"starts_at": start.strftime("%Y-%m-%dT10:00"), "ends_at": start.strftime("%Y-%m-%dT12:00"),
            "purpose": "成分检测"}


CASES = [
    # core
    FuzzCase("core:set_language"),
    FuzzCase("core:notifications_mark_read", data=lambda w: {"id": ["1"]}),
    FuzzCase("core:import", fields=("dry_run", "upload")),
    FuzzCase("core:audit_log_export", data=lambda w: {"action": "", "object_type": "", "actor": "",
                                                      "date_from": "2027-01-01", "date_to": "2027-12-31"}),
    FuzzCase("core:reference_create"),
    FuzzCase("core:reference_edit"),
    # accounts
    FuzzCase("accounts:login", data=lambda w: {"login": w.users.enterprise_user.email, "password": "password"}),
    FuzzCase("accounts:logout"),
    FuzzCase("accounts:register", data=lambda w: {"email": "fuzz-new@example.cn"}),
    FuzzCase("accounts:register_continue", data=registration),
    FuzzCase("accounts:password_change", data=lambda w: {"old_password": "password", "password1": "Kc-new-Passw0rd!",
                                                         "password2": "Kc-new-Passw0rd!"}),
    FuzzCase("accounts:tokens"),
    FuzzCase("accounts:token_revoke"),
    FuzzCase("accounts:organization_resubmit"),
    FuzzCase("accounts:members"),
    FuzzCase("accounts:member_remove"),
    FuzzCase("accounts:member_role"),
    FuzzCase("accounts:invitation_revoke"),
    FuzzCase("accounts:invitation_accept", persona="public",
             data=lambda w: {"password1": "Kc-fuzz-Passw0rd!", "password2": "Kc-fuzz-Passw0rd!", "name": "新同事",
                             "mobile": "13712345678"}),
    FuzzCase("accounts:verification_detail", label="reject",
             data=lambda w: {"decision": "reject", "reason": "材料不全"}),
    FuzzCase("accounts:user_roles", data=lambda w: {"role": "broker", "department": "成果转化处"}),
    # achievements and demands
    FuzzCase("achievements:create"),
    FuzzCase("achievements:edit"),
    FuzzCase("achievements:attach"),
    FuzzCase("achievements:transition"),
    FuzzCase("achievements:transition", label="return", persona="bureau_officer",
             args=lambda w: [*_lazy(ACH, "submitted")(w), "return"], data=lambda w: {"reason": "请补充专利号"}),
    FuzzCase("demands:create"),
    FuzzCase("demands:edit"),
    FuzzCase("demands:attach"),
    FuzzCase("demands:transition"),
    FuzzCase("demands:transition", label="return", persona="bureau_officer",
             args=lambda w: [*_lazy(DEM, "submitted")(w), "return"], data=lambda w: {"reason": "请补充预算"}),
    # experts
    FuzzCase("experts:conflicts"),
    FuzzCase("experts:conflict_withdraw"),
    FuzzCase("experts:edit_own"),
    # matching
    FuzzCase("matching:feedback", data=lambda w: {"strength": "0.5"}),
    FuzzCase("matching:intent", form=_form("kechuang.matching.forms", "IntentForm")),
    FuzzCase("matching:case_action"),
    FuzzCase("matching:case_action", label="sign", persona="org_admin", args=lambda w: [*accepted_case(w), "sign"],
             form=_form("kechuang.matching.forms", "SignForm")),
    FuzzCase("matching:case_action", label="note", persona="org_admin",
             args=lambda w: [*_lazy(MAT, "case")(w), "note"], form=_form("kechuang.matching.forms", "NoteForm")),
    FuzzCase("matching:case_action", label="assign", persona="bureau_officer",
             args=lambda w: [*_lazy(MAT, "case")(w), "assign"], data=lambda w: {"broker": w.users.broker.pk}),
    FuzzCase("matching:case_action", label="decline", persona="institute_user",
             args=lambda w: [*_lazy(MAT, "case")(w), "decline"], data=lambda w: {"reason": "方向不符"}),
    FuzzCase("matching:rebuild"),
    # programmes
    FuzzCase("programs:apply"),
    FuzzCase("programs:programme_new"),
    FuzzCase("programs:programme_detail", form=_form("kechuang.programs.forms", "ContributionForm")),
    FuzzCase("programs:programme_edit"),
    FuzzCase("programs:call_new"),
    FuzzCase("programs:call_edit"),
    FuzzCase("programs:call_form"),
    FuzzCase("programs:call_publish", args=draft_call),
    FuzzCase("programs:call_review", data=lambda w: {"action": "propose"},
             form=_form("kechuang.programs.forms", "ProposeForm")),
    FuzzCase("challenges:edit"),
    FuzzCase("challenges:race", fields=("team",)),
    FuzzCase("challenges:manage"),
    FuzzCase("challenges:list_publish"),
    FuzzCase("programs:application_edit"),
    FuzzCase("programs:application_action"),
    FuzzCase("programs:application_action", label="decide", persona="bureau_officer",
             args=lambda w: [*in_review(w), "decide"],
             form=_form("kechuang.programs.forms", "DecideForm")),
    FuzzCase("programs:review", persona="expert", args=_lazy(PRG, "accepted_seat"),
             data=lambda w: {"action": "submit"}),
    FuzzCase("programs:project_action", form=_form("kechuang.programs.forms", "TaskBookForm"),
             data=lambda w: {"starts_on": str(timezone.localdate()),
                             "ends_on": str(timezone.localdate() + timedelta(days=365))}),
    FuzzCase("programs:project_action", label="disbursement", persona="bureau_officer",
             args=lambda w: [*_lazy(PRG, "project")(w), "disbursement"],
             form=_form("kechuang.programs.forms", "DisbursementForm")),
    FuzzCase("programs:project_action", label="milestone", persona="bureau_officer",
             args=lambda w: [*_lazy(PRG, "project")(w), "milestone"],
             form=_form("kechuang.programs.forms", "MilestoneForm")),
    # instruments
    FuzzCase("instruments:new"),
    FuzzCase("instruments:edit"),
    FuzzCase("instruments:warning"),
    FuzzCase("instruments:purchases"),
    FuzzCase("instruments:purchase", persona="expert", data=lambda w: {"action": "review",
                                                                       "comment": "同类设备在本市已有三台，可以共享。"},
             form=_form("kechuang.instruments.forms", "PurchaseReviewForm")),
    FuzzCase("instruments:request", data=booking_times),
    FuzzCase("instruments:request", label="order", persona="org_admin",
             args=lambda w: [*_lazy(INS, "instrument")(w), "order"],
             data=lambda w: {"samples": "3", "description": "检测"}),
    FuzzCase("instruments:service_action"),
    FuzzCase("instruments:service_action", label="complete", persona="provider",
             args=lambda w: [*confirmed_booking(w), "complete"], data=lambda w: {"hours": "2", "cost": "200"}),
    FuzzCase("instruments:service_action", label="rate", persona="org_admin",
             args=lambda w: [*completed_booking(w), "rate"], data=lambda w: {"score": "5", "comment": "好"}),
    # vouchers
    FuzzCase("vouchers:apply"),
    FuzzCase("vouchers:manage"),
    FuzzCase("vouchers:decide", data=lambda w: {"amount": "100"}),
    FuzzCase("vouchers:decide", label="reject", persona="bureau_officer",
             args=lambda w: [*_lazy(VOU, "application")(w), "reject"], data=lambda w: {"reason": "不符合条件"}),
    FuzzCase("vouchers:settlement_request", args=_lazy(VOU, "pending")),
    FuzzCase("vouchers:settlement_review"),
    FuzzCase("vouchers:settlement_review", label="reject", persona="finance_officer",
             args=lambda w: [*_lazy(VOU, "settlement")(w), "reject"], data=lambda w: {"reason": "发票不符"}),
] + [FuzzCase(name) for name in sorted(fuzzing.api_operations())]

# API writes whose access case is a refusal (409: not in the state the action needs).
API_OVERRIDES = {
    "api:matching_case_sign": FuzzCase("api:matching_case_sign", persona="org_admin", args=accepted_case),
}
CASES = [API_OVERRIDES.get(case.id, case) for case in CASES]

def params():
    for case in CASES:
        for family in FAMILIES:
            yield pytest.param(case, family, id=f"{case.id}-{family}")


# --- every write endpoint has a case -----------------------------------------------------------------


def test_every_write_endpoint_of_pages_and_api_has_a_fuzz_case():
    endpoints = fuzzing.page_write_endpoints() | set(fuzzing.api_operations())
    covered = {case.url_name for case in CASES}
    assert sorted(endpoints - covered) == []
    assert sorted(covered - endpoints) == []


def test_the_endpoint_finder_sees_page_forms_and_api_writes():
    pages, writes = fuzzing.page_write_endpoints(), fuzzing.api_operations()
    # register_continue hands the request to a helper that reads the post
    assert {"achievements:create", "instruments:request", "accounts:register", "accounts:register_continue"} <= pages
    assert "achievements:portal" not in pages and "achievements:detail" not in pages
    assert writes["api:matching_case_sign"][0] == "post" and writes["api:achievement_update"][0] == "put"
    assert "api:achievement_search" not in writes


# --- running one case --------------------------------------------------------------------------------


def access_case_for(url_name):
    candidates = [case for case in all_access_cases() if case.url_name == url_name]
    assert candidates, f"{url_name} has no access case to borrow a persona and object from"
    writes = [case for case in candidates if case.method != "get"] or candidates
    for case in writes:
        for persona, status in case.allowed.items():
            if status < 400:
                return case, persona
    return writes[0], next(iter(writes[0].allowed))


def form_class_values(form_class) -> dict:
    from django import forms

    values = {}
    for name, form_field in form_class.base_fields.items():
        if isinstance(form_field, forms.ModelChoiceField):  # the multiple choice too
            values[name] = [str(pk) for pk in form_field.queryset.values_list("pk", flat=True)[:1]]
        elif isinstance(form_field, forms.ChoiceField):
            choices = [str(value) for value, _label in form_field.choices if value != ""]
            values[name] = choices[:1]
        elif isinstance(form_field, forms.BooleanField):
            values[name] = ["on"]
        elif isinstance(form_field, forms.DateTimeField):
            values[name] = [fuzzing.tomorrow_at(10).strftime("%Y-%m-%dT%H:%M")]
        elif isinstance(form_field, forms.DateField):
            values[name] = [str(timezone.localdate() - timedelta(days=1))]
        elif isinstance(form_field, (forms.IntegerField, forms.DecimalField, forms.FloatField)):
            values[name] = ["1"]
        elif isinstance(form_field, forms.EmailField):
            values[name] = ["fuzz@example.cn"]
        elif isinstance(form_field, forms.FileField):
            continue
        else:
            values[name] = ["测试内容"]
    return values


@dataclass
class Target:
    method: str
    url: str
    baseline: dict  # name -> list of str (a form) or a JSON value
    json: bool
    headers: dict
    user: object


def prepare(case: FuzzCase, world, client) -> Target:
    access, persona = access_case_for(case.url_name)
    persona = case.persona or persona
    args = (case.args or access.args)(world)
    url = reverse(case.url_name, args=args)
    user = None if persona == "public" else getattr(world.users, persona)
    base = access.data(world)
    if case.url_name.startswith("api:"):
        method, described, document = fuzzing.api_operations()[case.url_name]
        headers = {}  # the session (tokens may not manage tokens; schemathesis calls with tokens)
        body = fuzzing.body_schema(described, document)
        baseline = {}
        is_json = body is None or body[0] == "application/json"
        if body:
            for name, prop in body[1].get("properties", {}).items():
                value = fuzzing.synthesised(prop, document)
                if is_json:
                    baseline[name] = value
                elif value is not None:
                    baseline[name] = [str(value).lower()]
        baseline |= {key: (value if is_json else [str(value)]) for key, value in base.items()}
        baseline |= case.data(world)
        return Target(method, url, baseline, is_json, headers, user)
    if user is not None:
        client.force_login(user)
    baseline = {}
    page = client.get(url)
    if page.status_code == 200 and page.get("Content-Type", "").startswith("text/html"):
        forms = [form for form in fuzzing.forms_on(page.content.decode()) if form["action"] in ("", url)]
        wanted = case.data(world).get("action")
        if wanted:
            forms = [form for form in forms if form["hidden"].get("action") == wanted] or forms
        if forms:
            form = max(forms, key=lambda form: len(form["fields"]))
            baseline = {name: fuzzing.plausible_value(name, spec) for name, spec in form["fields"].items()}
    if case.form:
        baseline = form_class_values(case.form()) | baseline
    baseline |= {key: value if isinstance(value, list) else [str(value)] for key, value in base.items()}
    baseline |= {key: value if isinstance(value, list) else [str(value)] for key, value in case.data(world).items()}
    for name in case.fields:
        baseline.setdefault(name, [""] if not case.url_name.startswith("api:") else "")
    return Target("post", url, baseline, False, {}, user)


def send(client, target: Target, data):
    if target.json:
        body = json.dumps(data, allow_nan=True) if target.baseline or data else ""
        return client.generic(target.method.upper(), target.url, body, content_type="application/json",
                              headers=target.headers)
    if target.method == "post" and target.url.startswith("/api/"):
        return client.post(target.url, data, headers=target.headers)
    return client.post(target.url, data)


RANGED = re.compile(r"^-?\d+(\.\d+)?$|^\d{4}-\d{2}-\d{2}")


def looks_ranged(value) -> bool:
    """A number or a date, as a form posts it or as JSON carries it."""
    if isinstance(value, list):
        return bool(value) and all(isinstance(item, str) and RANGED.match(item) for item in value)
    if isinstance(value, bool):
        return False
    return isinstance(value, (int, float)) or (isinstance(value, str) and bool(RANGED.match(value)))


def says_why(response) -> bool:
    if response.get("Content-Type", "").startswith("application/json"):
        detail = response.json().get("detail")
        return bool(detail)
    return bool(response.content.strip())


@pytest.mark.slow
@pytest.mark.parametrize(("case", "family"), list(params()))
def test_no_input_gives_a_server_error(case, family, world, settings):
    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    target = prepare(case, world, client)
    values = FAMILIES[family]["json" if target.json else "form"]
    names = sorted(target.baseline) or ["unexpected"]
    if family == "ranges":  # aimed at the numbers and dates, where the range bugs are
        names = [name for name in sorted(target.baseline) if looks_ranged(target.baseline[name])]
        if not names:
            pytest.skip("no number or date field")
    range_queries = fuzzing.range_queries()

    @examples(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None, print_blob=False,
              suppress_health_check=list(HealthCheck))
    @given(choices=st.lists(st.tuples(st.sampled_from(names), st.sampled_from(values)), min_size=1, max_size=3,
                            unique_by=lambda pair: pair[0]))
    def run(choices):
        note(f"{target.method.upper()} {target.url} with {choices!r}")
        data = dict(target.baseline)
        for name, value in choices:
            if value is MISSING:
                data.pop(name, None)
            else:
                data[name] = value
        with transaction.atomic():
            if target.user is not None:
                client.force_login(target.user)
            response = send(client, target, data)
            assert response.status_code < 500, response.content[:300]
            if response.status_code >= 400:
                assert says_why(response), response.content[:300]
            assert fuzzing.values_out_of_range(range_queries) == []
            transaction.set_rollback(True)

    run()
