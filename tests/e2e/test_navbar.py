"""The navbar fits a 1366 x 768 screen, the most common laptop size, in both languages and for
every demo role: the user menu and the language switch are fully on screen and the bar is one
line. Screenshots: test-results/screenshots/navbar-<language>-<login>.png."""

import pytest
from django.conf import settings
from django.test import Client

from kechuang.accounts import demo

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTH, HEIGHT = 1366, 768
# every demo account but the applicant of the organisation still under review (a shorter menu)
LOGINS = [login for login, *_rest in demo.USERS if not login.startswith("reviewer") and login != "applicant"]


def boxes(page) -> dict:
    return page.evaluate("""() => {
        const box = (element) => { const r = element.getBoundingClientRect();
            return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
        const nav = document.querySelector("nav.navbar");
        return {
            nav: box(nav),
            items: [...nav.querySelectorAll("#mainnav > ul > li")].map(box),
            user: box(document.querySelector("[data-testid=user-menu]")),
            language: box(document.querySelector("[data-testid^=language-]")),
            scroll: document.documentElement.scrollWidth,
        };
    }""")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_navbar_fits_1366_pixels(live_server, browser, screenshot_dir, language):
    demo.seed(log=lambda *_: None)
    problems = []
    for login in LOGINS:
        client = Client()
        client.force_login(demo.User.objects.get(email=f"{login}@{demo.DEMO_DOMAIN}"))
        context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
        context.add_cookies([
            {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
             "url": live_server.url},
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
        page = context.new_page()
        page.goto(f"{live_server.url}/")
        page.wait_for_load_state("networkidle")
        found = boxes(page)
        page.screenshot(path=screenshot_dir / f"navbar-{language}-{login}.png")
        context.close()
        for name in ("user", "language"):
            box = found[name]
            if box["left"] < 0 or box["right"] > WIDTH or box["bottom"] > found["nav"]["bottom"]:
                problems.append(f"{login}: the {name} control is off the bar: {box}")
        middles = {round((item["top"] + item["bottom"]) / 2) for item in found["items"]}
        if max(middles) - min(middles) > 2 or found["nav"]["bottom"] - found["nav"]["top"] > 72:
            problems.append(f"{login}: the bar takes more than one line: {found['nav']}, item middles {middles}")
        if found["scroll"] > WIDTH:
            problems.append(f"{login}: the page scrolls sideways ({found['scroll']} px)")
    assert problems == []
