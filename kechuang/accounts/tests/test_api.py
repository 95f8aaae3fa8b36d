from kechuang.accounts.models import AccessToken
from kechuang.core.models import AuditEvent


def test_token_lifecycle(world, client_for, client):
    created = client_for("enterprise_user").post("/api/v1/tokens", {"name": "数据同步"},
                                                 content_type="application/json")
    assert created.status_code == 201
    raw = created.json()["token"]
    client.logout()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    me = client.get("/api/v1/me", **auth)
    assert me.status_code == 200 and me.json()["email"] == world.users.enterprise_user.email
    assert AccessToken.objects.get().last_used_at is not None
    assert raw not in str(list(AccessToken.objects.values_list("digest", "prefix")))
    revoked = client_for("enterprise_user").delete(f"/api/v1/tokens/{created.json()['id']}")
    assert revoked.status_code == 204
    client.logout()
    assert client.get("/api/v1/me", **auth).status_code == 401
    assert [e.action for e in AuditEvent.objects.filter(action__startswith="token.")] == [
        "token.created", "token.revoked"]


def test_invisible_objects_are_404_through_the_api(world, client_for):
    client = client_for("institute_user")
    assert client.get(f"/api/v1/organizations/{world.orgs.enterprise.pk}").status_code == 404
    ids = [org["id"] for org in client.get("/api/v1/organizations").json()["items"]]
    assert ids == [world.orgs.institute.pk]


def test_verify_through_the_api_uses_the_service(world, client_for):
    response = client_for("bureau_officer").post(f"/api/v1/organizations/{world.orgs.pending.pk}/verify")
    assert response.json()["status"] == "verified"
    again = client_for("bureau_officer").post(f"/api/v1/organizations/{world.orgs.pending.pk}/verify")
    assert again.status_code == 409 and again.json()["detail"] == "当前状态下不允许此操作。"


def test_validation_errors_are_chinese(world, client_for):
    response = client_for("bureau_officer").post(f"/api/v1/organizations/{world.orgs.pending.pk}/reject",
                                                 {"reason": "  "}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"] == {"reason": ["请填写退回理由，申请人将看到该理由。"]}
