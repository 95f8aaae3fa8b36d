"""No link leads to a page that does not exist: every persona follows every link it is shown."""

import re
from collections import deque

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kechuang.core.files import DOCUMENTS, attachment_store
from kechuang.core.services import audit_record, job_create, notify
from kechuang.core.testing import PERSONAS

HREF = re.compile(r'href="(/[^"#]*)')
PAGE_LIMIT = 80


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_link_a_persona_sees_works(persona, world, client_for):
    notify(world.users.enterprise_user, title="审核结果", url="/organization/", email=False)
    attachment_store(uploaded=SimpleUploadedFile("执照.pdf", b"%PDF-1.4\n%%EOF\n"), owner=world.orgs.pending,
                     purpose="licence", by=world.users.applicant, allowed=DOCUMENTS)
    job_create(kind="test", title="导出", owner=world.users.bureau_admin)
    audit_record("test.seen", by=world.users.bureau_admin)
    client = client_for(persona)
    seen, queue, broken = set(), deque(["/"]), []
    while queue and len(seen) < PAGE_LIMIT:
        url = queue.popleft()
        if url in seen or url.startswith("/static/"):
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code in (301, 302):
            queue.append(response["Location"])
            continue
        if response.status_code != 200:
            broken.append((url, response.status_code))
            continue
        if response.get("Content-Type", "").startswith("text/html"):
            queue.extend(HREF.findall(response.content.decode()))
    assert broken == []
    assert EXPECTED_PAGES[persona] <= seen


EXPECTED_PAGES = {persona: {"/", "/api/v1/docs"} for persona in PERSONAS} | {
    "public": {"/", "/sign-in/", "/register/"},
    "enterprise_user": {"/notifications/", "/account/password/", "/account/tokens/"},
    "bureau_officer": {"/verification/", "/organizations/"},
    "bureau_admin": {"/audit/", "/reference/", "/reference/districts/", "/users/"},
}
