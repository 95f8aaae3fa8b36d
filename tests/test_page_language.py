"""Every page speaks the language the visitor chose.

The walk: every GET pattern of the URL table (the apps' ACCESS_CASES, with the objects each case
makes, on top of a populated test world), requested as every persona, once in Chinese and once
in English. Every HTML answer (pages, fragments, error pages) is read as a visitor sees it: the
text of the elements, the options of the lists, and the attributes a browser shows (placeholder,
title, aria-label, alt, the label of a button).

What is data and what is interface (the rule the test enforces, docs/architecture.md):
- Data is what people typed and the database keeps: the strings of every text, char and JSON
  column of the domain tables (names, titles, summaries, keywords, addresses, the labels of a
  call's form that the bureau wrote, notifications and audit entries as they were written). It is
  shown as it was typed, in whatever language it was typed. The test world's data is Chinese
  (with codes, e-mail addresses and numbers), so it can be told apart on English pages by value.
- Everything else is interface and follows the page's language: template text, form labels and
  help, choices and statuses, messages, formats, the labels the platform builds into a call's
  form, and the reference data (districts, high-tech fields, industries, industry chains,
  readiness levels, instrument categories), which ships with names in both languages.

- Two kinds of text are in no language and pass on every page: code (`<code>`, `<kbd>`: an
  action key of the audit log, a header to send) and text whose element declares its language
  with a `lang` attribute (the language switch names each language in itself; the reference-data
  editor shows the Chinese and the English names side by side).

The check removes every data string (and the pieces pages show of it: keywords one by one,
text cut short with "…") from the page text, then looks for Chinese characters or full-width
punctuation on English pages and for English words on Chinese pages (a few names of formats
and standards excepted, LATIN_ON_CHINESE_PAGES). So that whitelisting data cannot hide
interface text, the test world's data may not be a whole entry of the translation catalogue
(`populate` gives the personas and contacts names of people), and two checks that need no data
back the walk: no English message of the catalogue holds Chinese and no Chinese one holds
English, and no template holds Chinese outside a translated message.
"""

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from kechuang.core.testing import PERSONAS
from kechuang.matching.tests.conftest import own_index  # noqa: F401  (an index folder of its own)
from tests.test_url_policies import all_access_cases

# Latin words a Chinese page may show: names of file formats, standards, units and programming
# interfaces that Chinese users write in Latin letters too, the date pattern and an HTTP header
# as it is sent, and the non-numbers a refused value quotes as typed (NaN, Infinity). (A snake_case
# key of a bureau-built form is code, too.)
LATIN_ON_CHINESE_PAGES = {"API", "OpenAPI", "Excel", "PDF", "Word", "xlsx", "docx", "GB", "ID", "IP", "UTC",
                          "YYYY", "MM", "DD", "Authorization", "Bearer", "NaN", "Infinity"}
# The import sheets are a Chinese file format: messages about them quote its literal values.
SHEET_LITERALS = {"Enter 是 or 否.", "Several options separated by 、"}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\{?\s*\w+\s*\}?\}")

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]+")
# a word of two or more letters that is not part of a code (F1, SM3, a hash)
LATIN_WORD = re.compile(r"(?<![0-9A-Za-z_])[A-Za-z]{2,}(?![0-9A-Za-z_])")
SEPARATORS = re.compile(r"[,，、;；\s|｜/]+")
# Columns that hold no typed text (codes, digests, search tokens) or that reference data owns.
NOT_TYPED = re.compile(r"(digest|hash|password|search_tokens|facet_.*|content_type|extension|idempotency_key|"
                       r"prefix|kind|url|owner_label|owner_id|object_type|object_id|action)$")
WRITTEN_BY_THE_PLATFORM = {"core.Notification", "core.Job", "core.AuditEvent"}
REFERENCE_TABLES = {"core.District", "core.IndustryChain", "core.TechField", "core.IndustryClass",
                    "core.ReadinessLevel", "instruments.InstrumentCategory"}
INLINE = {"a", "abbr", "b", "bdi", "cite", "code", "data", "em", "i", "kbd", "mark", "q", "s", "samp", "small",
          "span", "strong", "sub", "sup", "time", "u", "var", "wbr"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# not read: scripts, code, and what a form holds (a textarea's text, like an input's value, is
# what the user typed or will type)
NOT_TEXT = {"script", "style", "template", "code", "kbd", "textarea"}
SHOWN_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt"}


def catalogue():
    path = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    with path.open("rb") as handle:
        return read_po(handle, locale="zh_Hans")


def _texts(value) -> tuple[str, ...]:
    return tuple(text for text in (value if isinstance(value, tuple) else (value,)) if text)


def catalogue_entries() -> set[str]:
    entries = set()
    for message in catalogue():
        entries.update(text.strip() for text in _texts(message.id) + _texts(message.string))
    return entries


BUILT_IN_LABELS = {"label", "label_en", "columns", "columns_en"}


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        # a form field's key and type are code; a label that comes with its English version is
        # one of the platform's built-in labels, interface text
        skipped = {"key", "type"} | (BUILT_IN_LABELS if "label_en" in value else set())
        for key, item in value.items():
            if key not in skipped:
                yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def _pieces(found: set[str]) -> set[str]:
    pieces = set()
    for text in found:
        pieces.add(text.strip())
        pieces.update(line.strip() for line in text.splitlines())
        pieces.update(SEPARATORS.split(text))
    return {piece for piece in pieces if len(piece) > 1 and (CJK.search(piece) or re.search("[A-Za-z]", piece))}


def stored_text() -> tuple[set[str], set[str]]:
    """What people typed into the test world, and what the platform wrote and stored (in the
    language of the moment: notifications, job messages, audit entries), with the pieces pages
    show of them."""
    typed, written = set(), set()
    for model in apps.get_models():
        if not model.__module__.startswith("kechuang."):
            continue
        if model._meta.label in REFERENCE_TABLES:
            typed.update(model.objects.values_list("code", flat=True) if hasattr(model, "code") else [])
            continue
        columns = [field.name for field in model._meta.concrete_fields
                   if isinstance(field, models.CharField | models.TextField | models.JSONField)
                   and not field.choices and not NOT_TYPED.search(field.name)]
        into = written if model._meta.label in WRITTEN_BY_THE_PLATFORM else typed
        for row in model.objects.values_list(*columns) if columns else []:
            for value in row:
                into.update(_strings(value))
    return _pieces(typed), _pieces(written)


class VisibleText(HTMLParser):
    """The text a visitor reads in the page's language: element text (inline elements joined,
    blocks apart) and the attributes a browser shows; without scripts, code and elements that
    declare a language of their own."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.open = [], []    # the open elements: (tag, whether its text is skipped)

    @property
    def skip(self) -> bool:
        return any(skipped for _tag, skipped in self.open)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        skipped = tag in NOT_TEXT or "lang" in attributes
        if tag not in INLINE:
            self.parts.append("\n")
        if not (skipped or self.skip):
            for name in SHOWN_ATTRIBUTES & attributes.keys():
                self.parts.append(f"\n{attributes[name] or ''}\n")
            if tag == "input" and attributes.get("type") in ("submit", "button") and attributes.get("value"):
                self.parts.append(f"\n{attributes['value']}\n")
        if tag not in VOID:
            self.open.append((tag, skipped and tag != "html"))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        for position in range(len(self.open) - 1, -1, -1):   # browsers close what was left open
            if self.open[position][0] == tag:
                del self.open[position:]
                break
        if tag not in INLINE:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)

    def lines(self) -> list[str]:
        return [" ".join(line.split()) for line in "".join(self.parts).split("\n") if line.strip()]


# An e-mail address is an identifier in no language, wherever it comes from (the registration
# page shows the one its signed link carries, which no table holds yet).
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def without_data(line: str, data: list[str]) -> str:
    line = EMAIL.sub(" ", line)
    for piece in data:
        if piece in line:
            line = line.replace(piece, " ")
    # text cut short: whatever stands before an ellipsis and begins a data string
    for cut in re.findall(r"(\S+)…", line):
        if any(piece.startswith(cut) for piece in data):
            line = line.replace(cut + "…", " ")
    return line


def wrong_language(line: str, language: str) -> list[str]:
    if language == "en":
        return CJK.findall(line)
    return [word for word in LATIN_WORD.findall(line) if word not in LATIN_ON_CHINESE_PAGES]


# People's names for the personas and contacts: the conftest world names them by their role
# ("专家", "联系人"), which are also words of the interface.
PEOPLE = {"org_admin": "张立新", "enterprise_user": "陈静怡", "institute_user": "刘晓洋", "expert": "孙明哲",
          "broker": "周婷婷", "provider": "吴志刚", "bureau_officer": "李明辉", "bureau_admin": "王建国",
          "finance_officer": "赵敏慧", "applicant": "钱多多"}
# The test call's form, with a column label that is not also a word of the interface.
SCHEMA = [{"key": "background", "label": "立项依据", "type": "long_text", "required": True},
          {"key": "budget", "label": "经费预算", "type": "table", "required": False,
           "columns": ["科目", "测算金额（万元）"], "rows": 4},
          {"key": "stage", "label": "研究阶段", "type": "choice", "required": False,
           "choices": ["基础研究", "应用研究"]},
          {"key": "months", "label": "研究周期（月）", "type": "number", "required": False}]


def populate(world):
    """A world with one record of each kind in the states pages list them, so that lists,
    tables and detail pages have rows to show."""
    from kechuang.accounts.models import Organization, User
    from kechuang.achievements.choices import AchievementStatus
    from kechuang.achievements.tests.factories import make_achievement
    from kechuang.demands.choices import DemandStatus
    from kechuang.demands.tests.factories import make_demand
    from kechuang.instruments import services as instrument_services
    from kechuang.instruments.tests.factories import make_instrument
    from kechuang.matching import services as matching_services
    from kechuang.programs.tests.factories import make_application, make_call
    from kechuang.vouchers import services as voucher_services
    from kechuang.vouchers.tests.factories import issued_voucher, make_scheme

    for persona, name in PEOPLE.items():
        User.objects.filter(pk=getattr(world.users, persona).pk).update(name=name)
    for number, organization in enumerate(Organization.objects.order_by("pk")):
        Organization.objects.filter(pk=organization.pk).update(contact_name=f"联络员{'甲乙丙丁戊己庚辛'[number]}")
    achievement = make_achievement(world, status=AchievementStatus.PUBLISHED, price=Decimal("200"),
                                   price_negotiable=False)
    make_achievement(world, status=AchievementStatus.SUBMITTED, name="低成本钠离子电池负极材料")
    demand = make_demand(world, status=DemandStatus.PUBLISHED)
    make_demand(world, status=DemandStatus.SUBMITTED, title="农产品冷链温控需求")
    matching_services.case_open(by=world.users.org_admin, demand=demand, achievement=achievement)
    instrument = make_instrument(world)
    start = timezone.now() + timedelta(days=3)
    instrument_services.booking_request(by=world.users.org_admin, instrument=instrument, starts_at=start,
                                        ends_at=start + timedelta(hours=2), purpose="材料成分分析")
    call = make_call()
    make_application(call, world.users.enterprise_user, submit=True)
    make_application(make_call(), world.users.institute_user)
    voucher = issued_voucher(world, make_scheme(world))
    voucher_booking(world, instrument, voucher, days=5)
    voucher_services.voucher_redeem(voucher=voucher, provider=world.orgs.institute, order_ref="检测订单一",
                                    order_cost=Decimal("20000"))
    voucher_services.settlement_request(by=world.users.provider, provider=world.orgs.institute)
    voucher_booking(world, instrument, voucher, days=4)    # one voucher payment awaiting settlement


def voucher_booking(world, instrument, voucher, *, days: int):
    """A booking of the enterprise paid partly by voucher, held `days` ago and completed."""
    from kechuang.instruments import services
    from kechuang.instruments.models import Booking

    start = timezone.now() + timedelta(days=10 + days)
    booking = services.booking_request(by=world.users.org_admin, instrument=instrument, starts_at=start,
                                       ends_at=start + timedelta(hours=2), purpose="正极材料表征", voucher=voucher)
    services.booking_answer(by=world.users.provider, booking=booking, confirm=True)
    held = timezone.now() - timedelta(days=days)
    Booking.objects.filter(pk=booking.pk).update(starts_at=held, ends_at=held + timedelta(hours=2))
    booking.refresh_from_db()
    services.booking_complete(by=world.users.provider, booking=booking, hours=Decimal("2"), cost=Decimal("1200"))


@dataclass
class Page:
    url_name: str
    make_url: Callable

    def url(self, world) -> str:
        return self.make_url(world)


def _accepted_seat(world):
    """The world's expert, who accepted to review a submitted application: the scoring form."""
    from kechuang.programs.choices import ApplicationStatus, AssignmentStatus
    from kechuang.programs.models import Application, ReviewAssignment
    from kechuang.programs.tests.factories import make_application, make_call

    application = make_application(make_call(), world.users.enterprise_user, submit=True)
    Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.IN_REVIEW)
    seat = ReviewAssignment.objects.create(application=application, expert=world.users.expert,
                                           status=AssignmentStatus.ACCEPTED)
    return reverse("programs:review", args=[seat.pk])


# Pages in states the URL table does not reach: search results, the expert's scoring form.
EXTRA_PAGES = [
    Page("achievements:portal", lambda w: reverse("achievements:portal") + "?query=锂电池"),
    Page("demands:portal", lambda w: reverse("demands:portal") + "?query=锂电池"),
    Page("instruments:catalogue", lambda w: reverse("instruments:catalogue") + "?q=质谱"),
    Page("programs:review", _accepted_seat),
]


def get_pages() -> list:
    """Every GET case of the URL table that is not the API, and the extra pages."""
    cases = [case for case in all_access_cases() if case.method == "get" and not case.url_name.startswith("api:")]
    return cases + EXTRA_PAGES


def check_page(client, world, language, page, catalogue: set[str], problems: dict) -> int:
    """Requests one page as every persona; returns how many answers were HTML pages."""
    url = page.url(world)
    where = f"{page.url_name} {url}"
    typed, written = stored_text()
    if typed & catalogue:
        problems[where].add(f"typed data that is also interface text: {sorted(typed & catalogue)}")
    data = sorted((typed - catalogue) | written, key=len, reverse=True)
    read = 0
    for persona in PERSONAS:
        client.logout()
        if persona != "public":
            client.force_login(getattr(world.users, persona))
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        response = client.get(url)
        if response.status_code >= 500:
            problems[where].add(f"{response.status_code} as {persona}")
        if "text/html" not in response.get("Content-Type", ""):
            continue
        read += 1
        parser = VisibleText()
        parser.feed(response.content.decode())
        for line in parser.lines():
            leaks = wrong_language(without_data(line, data), language)
            if leaks:
                problems[where].add(f"{' '.join(leaks)}  ⟵  {line[:140]}")
    return read


def test_the_catalogue_keeps_each_language_to_itself():
    """An English message holds no Chinese, a Chinese translation no English (placeholders and
    the Latin words above aside)."""
    problems = []
    for message in catalogue():
        if not message.id:
            continue    # the header
        for text in _texts(message.id):
            if CJK.search(text) and text not in SHEET_LITERALS:
                problems.append(f"Chinese in the English message: {text}")
        for text in _texts(message.string):
            if wrong_language(PLACEHOLDER.sub(" ", text), "zh-hans"):
                problems.append(f"English in the Chinese message: {text}")
    assert problems == []


def test_no_template_writes_chinese_outside_a_translated_message():
    """Template text outside {% translate %} is the same in both languages: no Chinese there,
    not even the punctuation that joins data (、，（）：)."""
    translated = re.compile(r"\{%\s*(?:blocktrans(?:late)?\b.*?\{%\s*endblocktrans(?:late)?\s*%\}|"
                            r"trans(?:late)?\s+(?:\"[^\"]*\"|'[^']*')[^%]*%\})|\{#.*?#\}", re.S)
    problems = []
    for path in sorted((Path(settings.BASE_DIR) / "templates").rglob("*.html")):
        for line in translated.sub(" ", path.read_text()).splitlines():
            if CJK.search(line):
                problems.append(f"{path.name}: {line.strip()[:120]}")
    assert problems == []


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_page_speaks_the_chosen_language(client, world, language, monkeypatch):
    from kechuang.programs.tests import factories

    monkeypatch.setattr(factories, "SCHEMA", SCHEMA)
    populate(world)
    catalogue = catalogue_entries()
    pages, problems, read = get_pages(), defaultdict(set), 0
    for page in pages:
        with transaction.atomic():      # each page's objects, as its access case makes them
            read += check_page(client, world, language, page, catalogue, problems)
            transaction.set_rollback(True)
    report = [f"{where}\n    " + "\n    ".join(sorted(lines)) for where, lines in sorted(problems.items())]
    assert report == [], f"{len(report)} pages show text in the wrong language:\n" + "\n".join(report)
    assert read > 3 * len(pages)    # the walk read pages, not only redirects


def test_the_check_tells_a_leak_from_data():
    html = ('<html lang="en"><body><h1>Achievement</h1><p title="地区">测试材料研究院 · 东城区</p>'
            '<p>Shared key terms: <mark>锂电池</mark>、正极材料</p><button lang="zh-hans">简体中文</button>'
            '<code>voucher.issued</code><textarea>随便写的</textarea><script>var x = "脚本";</script></body></html>')
    parser = VisibleText()
    parser.feed(html)
    data = ["测试材料研究院", "锂电池", "正极材料"]
    leaks = [leak for line in parser.lines() for leak in wrong_language(without_data(line, data), "en")]
    assert leaks == ["地区", "东城区", "、"]
    chinese = VisibleText()
    chinese.feed('<p>状态：draft · 导出 Excel · <span lang="en">English</span> · F1 · 3061277ffed559 · key_name</p>')
    assert [wrong_language(line, "zh-hans") for line in chinese.lines()] == [["draft"]]
