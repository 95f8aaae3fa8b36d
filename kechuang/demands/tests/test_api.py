from kechuang.demands.choices import DemandStatus
from kechuang.demands.models import Demand
from kechuang.demands.tests.factories import make_demand


def test_confidential_details_through_the_api(world, client_for):
    demand = make_demand(world, status=DemandStatus.PUBLISHED, confidential=True, description="保密参数")
    assert client_for("public").get(f"/api/v1/demands/{demand.pk}").json()["description"] is None
    assert client_for("broker").get(f"/api/v1/demands/{demand.pk}").json()["description"] == "保密参数"


def test_create_submit_and_mark_through_the_api(world, client_for):
    created = client_for("org_admin").post("/api/v1/demands", {
        "title": "废水脱氮技术", "public_summary": "需要低成本脱氮工艺", "cooperation_modes": ["joint"],
        "budget_min": 10, "budget_max": 50, "district": "D01"}, content_type="application/json")
    assert created.status_code == 201
    pk = created.json()["id"]
    client_for("org_admin").post(f"/api/v1/demands/{pk}/actions/submit")
    client_for("bureau_officer").post(f"/api/v1/demands/{pk}/actions/publish")
    marked = client_for("bureau_officer").post(f"/api/v1/demands/{pk}/reasoned/challenge-candidate",
                                               {"reason": "环保共性难题"}, content_type="application/json")
    assert marked.json()["challenge_candidate"] is True
    found = client_for("public").get("/api/v1/demands", {"query": "脱氮"}).json()
    assert [item["id"] for item in found["items"]] == [pk]
    assert Demand.objects.get(pk=pk).status == DemandStatus.PUBLISHED
