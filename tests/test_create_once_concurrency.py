"""On PostgreSQL, with real threads: one create form posted by many clients at the same moment
(the same one-time key) makes one record; every post is sent to it. (SQLite serialises writers,
so this runs in the PostgreSQL pass of `make test-all`.)"""

import uuid

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from kechuang.achievements.models import Achievement
from kechuang.core.models import SubmissionKey
from kechuang.vouchers.tests.test_concurrency import run_concurrently

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
CLIENTS = 8


@pytest.fixture(autouse=True)
def postgres_only(reference_data):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL (SQLite serialises writers)")


def test_one_form_posted_at_once_by_many_clients_makes_one_record(world):
    key = str(uuid.uuid4())
    data = {"name": "智能巡检无人机", "summary": "基于视觉的电力线路巡检无人机。", "form": "product",
            "transfer_modes": ["licence"], "price_negotiable": "on", "source": "self", "completers": "张三 负责人",
            "submission_key": key}
    clients = []
    for _ in range(CLIENTS):
        client = Client()
        client.force_login(world.users.institute_user)
        clients.append(client)

    responses = run_concurrently(lambda n: clients[n].post(reverse("achievements:create"), data), CLIENTS)
    assert all(not isinstance(response, Exception) for response in responses), responses
    assert [response.status_code for response in responses] == [302] * CLIENTS
    achievement = Achievement.objects.get()
    assert {response["Location"] for response in responses} == {reverse("achievements:detail",
                                                                          args=[achievement.pk])}
    assert SubmissionKey.objects.get(key=key).url == reverse("achievements:detail", args=[achievement.pk])
