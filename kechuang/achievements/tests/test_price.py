"""面议 (price negotiable) is off until the owner ticks it, and a typed price is never hidden: with
面议 ticked it is shown as a reference ("200.00（可议价）")."""

import json
import re

import pytest
from django.urls import reverse

from kechuang.achievements.choices import AchievementStatus
from kechuang.achievements.forms import AchievementEditForm
from kechuang.achievements.models import Achievement
from kechuang.achievements.tests.factories import make_achievement

NEW = {"name": "智能巡检无人机", "summary": "基于视觉的电力线路巡检无人机。", "form": "product", "source": "self"}


def shown_price(client, achievement) -> str:
    html = client.get(reverse("achievements:detail", args=[achievement.pk])).content.decode()
    return re.search(r'data-testid="price">(.*?)</dd>', html).group(1)


def test_the_form_starts_with_negotiable_unticked(world):
    form = AchievementEditForm(owner=world.orgs.institute)
    assert form["price_negotiable"].value() is False
    assert "checked" not in str(form["price_negotiable"])
    assert Achievement._meta.get_field("price_negotiable").default is False


def test_a_typed_price_is_saved_and_shown(world, client_for):
    client = client_for("institute_user")
    assert client.post(reverse("achievements:create"), NEW | {"price": "200"}).status_code == 302
    achievement = Achievement.objects.get(name=NEW["name"])
    assert (achievement.price, achievement.price_negotiable) == (200, False)
    assert shown_price(client, achievement) == "200.00"


def test_no_price_and_not_negotiable_is_refused(world, client_for):
    response = client_for("institute_user").post(reverse("achievements:create"), NEW)
    assert response.status_code == 200 and not Achievement.objects.exists()
    assert response.context["form"].errors["price"] == ["请填写转化价格，或勾选价格面议。"]


@pytest.mark.parametrize(("price", "negotiable", "zh", "en"), [
    ("20000", True, "20,000.00（可议价）", "20,000.00 (negotiable)"),
    ("200", False, "200.00", "200.00"),
    (None, True, "面议", "Negotiable"),
])
def test_the_price_as_shown(world, client_for, price, negotiable, zh, en):
    achievement = make_achievement(world, status=AchievementStatus.PUBLISHED, price=price,
                                   price_negotiable=negotiable)
    client = client_for("public")
    assert shown_price(client, achievement) == zh
    client.cookies["django_language"] = "en"
    assert shown_price(client, achievement) == en


def test_the_api_takes_a_price_without_negotiable_as_firm(world, client_for):
    client = client_for("institute_user")
    firm = client.post(reverse("api:achievement_create"), json.dumps(NEW | {"price": "200"}),
                       content_type="application/json").json()
    open_price = client.post(reverse("api:achievement_create"), json.dumps(NEW | {"name": "另一项成果"}),
                             content_type="application/json").json()
    assert (firm["price"], firm["price_negotiable"]) == ("200.00", False)
    assert (open_price["price"], open_price["price_negotiable"]) == (None, True)
