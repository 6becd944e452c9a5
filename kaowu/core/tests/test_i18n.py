"""Simplified Chinese by default, English through the footer's language switcher.

The language comes from the language cookie only (CookieLocaleMiddleware): a browser that asks for
English with Accept-Language still gets Chinese until the person picks English in the footer."""

import gettext as gnu_gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

from kaowu.testing.factories import CandidateFactory, ExamNumberFactory, OfficeFactory, StaffMemberFactory

LOCALE_DIR = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
# Chinese characters and the CJK / full-width punctuation that comes with untranslated text.
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]+")
GLOSSED_TERM = re.compile(r"\((?:[\u4e00-\u9fff]+|《[\u4e00-\u9fff]+》)\)")


def _main(html: str) -> str:
    match = re.search(r"<main\b.*?</main>", html, re.S)
    assert match, "no <main> on the page"
    return match.group(0)


def _switch(client, language: str, next_url: str = "/"):
    return client.post("/i18n/setlang/", {"language": language, "next": next_url})


@pytest.fixture
def english(client, gansu):
    """The footer's language form, as a person would use it: POST /i18n/setlang/ language=en."""
    response = _switch(client, "en", "/accounts/login/")
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    return client


# --- the default ----------------------------------------------------------------------------------

def test_chinese_by_default_even_when_the_browser_asks_for_english(client, gansu):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    page = response.content.decode()
    assert response["Content-Language"] == "zh-hans"
    assert '<html lang="zh-hans">' in page
    assert "<h1>考生登录</h1>" in page
    assert "Candidate sign-in" not in page


def test_the_footer_offers_the_language_switch(client, gansu):
    page = client.get("/").content.decode()
    assert 'action="/i18n/setlang/"' in page
    assert 'name="language" value="en"' in page and ">English</button>" in page


# --- English --------------------------------------------------------------------------------------

def test_home_page_in_english(english):
    response = english.get("/")
    page = response.content.decode()
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in page
    assert "Candidate sign-in" in page and "Candidate registration" in page and "Forgot password" in page
    # The province's own names are data and stay as they are.
    assert "甘肃省国家教育考试综合管理平台" in page
    assert "考生登录" not in page


def test_login_page_in_english(english):
    page = english.get("/accounts/login/").content.decode()
    assert "<h1>Candidate sign-in</h1>" in page
    assert '<button class="btn btn--primary btn--block" type="submit">Sign in</button>' in page
    assert 'aria-label="Sign in with password"' in page
    assert "Forgot password" in page and "No account? Register now" in page
    assert 'alt="Captcha image; click for a new one"' in page


@pytest.mark.parametrize("mode", ["password", "sms"])
def test_login_page_main_content_has_no_untranslated_chinese(english, gansu, mode):
    main = _main(english.get(f"/accounts/login/?mode={mode}").content.decode())
    # A Chinese term in parentheses after its English name is deliberate: "candidate number (考生号)" is
    # what a candidate says to the office.
    main = GLOSSED_TERM.sub("", main)
    data = {gansu.platform_name, gansu.authority_name, gansu.name}  # the province's own names are data
    leftovers = [text for text in CJK.findall(main) if text not in data]
    assert leftovers == [], leftovers


def test_register_page_in_english(english):
    page = english.get("/accounts/register/").content.decode()
    assert "<h1>Candidate registration</h1>" in page
    assert "Candidate Registration Notes" in page
    assert "Enrolled candidate" in page
    assert "Select your district" in page
    assert ">Get code</button>" in page
    assert 'data-countdown-template="Resend ({s} s)"' in page


def test_candidate_home_in_english(english, gansu):
    candidate = CandidateFactory()
    ExamNumberFactory(candidate=candidate)
    english.force_login(candidate.user)
    page = english.get("/me/").content.decode()
    assert "<h1>Candidate home</h1>" in page
    assert "Account security" in page and "Candidate status" in page
    assert "Identity verification" in page
    # Dates follow the language too.
    assert re.search(r"<dt>Registered on</dt><dd>\d{4}-\d{2}-\d{2}</dd>", page)


def test_back_office_in_english(english, gansu):
    office = OfficeFactory()
    staff = StaffMemberFactory(office=office)
    english.force_login(staff.user)
    page = english.get("/backoffice/").content.decode()
    assert "<h1>Workbench</h1>" in page
    assert "My recent actions" in page and "Your office" in page
    assert ">Candidates</a>" in page and ">Identity review" in page


def test_messages_and_form_errors_follow_the_language(english):
    page = english.post("/accounts/login/", {"mode": "password", "identifier": "", "password": ""}).content.decode()
    assert "Please correct the fields marked in red and submit again." in page
    assert "Please enter your ID number, exam number, mobile number or candidate number" in page


def test_switching_back_gives_chinese(english):
    assert "Candidate sign-in" in english.get("/accounts/login/").content.decode()
    response = _switch(english, "zh-hans", "/accounts/login/")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    page = english.get("/accounts/login/").content.decode()
    assert "<h1>考生登录</h1>" in page and "Candidate sign-in" not in page


# --- the catalogue --------------------------------------------------------------------------------

_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _unquote(chunks: list[str]) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), "".join(chunks))


def _po_entries(text: str) -> list[dict]:
    """msgid / msgstr / flags of every entry of a .po file: enough of the format for these checks."""
    entries = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        if not lines:
            continue
        entry = {"flags": set(), "msgid": [], "msgid_plural": [], "msgstr": {}}
        current = None
        for line in lines:
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#"):
                continue
            elif match := re.match(r'^(msgid|msgid_plural|msgctxt|msgstr(?:\[\d+\])?) "(.*)"$', line):
                key, value = match.groups()
                current = entry["msgstr"].setdefault(key, []) if key.startswith("msgstr") else entry.setdefault(key, [])
                current.clear()
                current.append(value)
            elif line.startswith('"'):
                current.append(line[1:-1])
        entry["msgid"] = _unquote(entry["msgid"])
        entry["msgstr"] = {key: _unquote(value) for key, value in entry["msgstr"].items()}
        entries.append(entry)
    return entries


def test_english_catalogue_is_complete():
    entries = [e for e in _po_entries((LOCALE_DIR / "django.po").read_text()) if e["msgid"]]
    assert len(entries) > 500
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    empty = [e["msgid"] for e in entries if not e["msgstr"] or not all(e["msgstr"].values())]
    assert fuzzy == []
    assert empty == []
    still_chinese = [e["msgid"] for e in entries
                     if any(CJK.fullmatch(value.strip()) for value in e["msgstr"].values())]
    assert still_chinese == []


def test_compiled_catalogue_matches_the_po_file():
    """The .mo is committed (servers are offline and need no gettext): it must be compiled from the .po."""
    catalogue = gnu_gettext.GNUTranslations((LOCALE_DIR / "django.mo").open("rb"))
    entries = [entry for entry in _po_entries((LOCALE_DIR / "django.po").read_text())
               if entry["msgid"] and "msgstr" in entry["msgstr"]]
    assert len(entries) > 500  # the .po was read: an empty list would check nothing
    for entry in entries:
        assert catalogue.gettext(entry["msgid"]) == entry["msgstr"]["msgstr"], entry["msgid"]
