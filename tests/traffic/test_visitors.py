"""The traffic generator's visitors and phrase bank: seeded, coherent, and in the shapes mocksnap reports."""

from __future__ import annotations

import ipaddress
import json
import math
import os
import random
import subprocess
import sys
from dataclasses import astuple, replace
from importlib import resources
from urllib.parse import urlsplit

import pytest

from mocksnap import schemas
from mocksnap.traffic import phrases
from mocksnap.traffic.visitors import (
    COUNTRIES,
    COUNTRY_BY_CODE,
    LANGUAGES,
    USER_AGENTS,
    Fakers,
    ascii_fold,
    language_of,
    make_visitor,
    site_kind,
)
from mocksnap.useragent import browser_and_os
from mocksnap.webhooks.case_facts import REQUESTER_KEYS, requester_details
from mocksnap.webhooks.legacy_xml import languages as accept_languages
from mocksnap.world.models import Visitor
from tests.conftest import assert_valid

# The languages each country's visitors may read, written out here rather than taken from the table tested.
OFFICIAL = {
    "US": {"en", "es"},
    "GB": {"en"},
    "DE": {"de"},
    "FR": {"fr"},
    "ES": {"es"},
    "NL": {"nl"},
    "IT": {"it"},
    "BR": {"pt"},
    "CA": {"en", "fr"},
    "AU": {"en"},
    "IN": {"en"},
    "JP": {"ja"},
    "MX": {"es"},
    "AT": {"de"},
}
SHOP = "https://shop.example.com"


@pytest.fixture(scope="module")
def fakers() -> Fakers:
    return Fakers().warm()


def crowd(fakers: Fakers, seed: int, n: int = 300, **options) -> list[tuple]:
    rng = random.Random(seed)
    return [make_visitor(rng, fakers, **options) for _ in range(n)]


@pytest.fixture(scope="module")
def visitors(fakers: Fakers) -> list[tuple]:
    return crowd(fakers, 7, 2000, site=SHOP)


# -- determinism ------------------------------------------------------------------------------------------


def test_the_same_seed_gives_the_same_visitors_and_another_seed_others(fakers: Fakers) -> None:
    first, again = crowd(fakers, 1), crowd(Fakers(), 1)  # a cold cache loads its locales in another order
    assert first == again
    assert repr(first) == repr(again)
    other = crowd(fakers, 2)
    assert sum(a != b for a, b in zip(first, other, strict=True)) > 290


def test_the_same_seed_gives_the_same_bytes_in_another_process() -> None:
    code = (
        "import random; from mocksnap.traffic.visitors import Fakers, make_visitor; "
        "from mocksnap.traffic import phrases; rng = random.Random(11); f = Fakers(); "
        "print(repr([make_visitor(rng, f, site='https://app.example.com') for _ in range(50)])); "
        "print(repr([phrases.line(rng, 'answer', lang) for lang in phrases.LANGUAGES * 5]))"
    )

    def run(hash_seed: str) -> str:
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        return subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        ).stdout

    assert run("1") == run("2")


def test_a_share_changes_only_what_it_decides(fakers: Fakers) -> None:
    few, many = crowd(fakers, 3, email_share=0.2), crowd(fakers, 3, email_share=0.9)
    for (a, pa), (b, pb) in zip(few, many, strict=True):
        assert pa == pb
        # Enrichment knows more of some of those who gave an email: the email share decides that too.
        assert replace(a, email=None, javascript_variables=None, details=None) == replace(
            b, email=None, javascript_variables=None, details=None
        )
    assert sum(v.email is not None for v, _ in few) < sum(v.email is not None for v, _ in many)


def test_shares_of_zero_and_one(fakers: Fakers) -> None:
    nobody = crowd(fakers, 4, email_share=0, phone_share=0, name_share=0)
    assert all(v.email is v.phone is v.name is None for v, _ in nobody)
    everybody = crowd(fakers, 4, email_share=1, phone_share=1, name_share=1)
    for visitor, profile in everybody:
        assert (visitor.email, visitor.phone, visitor.name) == (profile.email, profile.phone, profile.name)


# -- who ----------------------------------------------------------------------------------------------------


def test_every_field_is_filled(visitors: list[tuple]) -> None:
    always = set(Visitor.__slots__) - {
        "email",
        "phone",
        "referrer_url",
        "app_version_name",
        "hmac",
        "details",
    }
    for visitor, profile in visitors:
        assert all(getattr(visitor, name) not in (None, "", []) for name in always), visitor
        assert all(astuple(profile)), profile
        assert all(isinstance(n, str) and isinstance(v, str) and v for n, v in visitor.javascript_variables)


def test_emails_and_phones_are_valid_for_the_world_schema(visitors: list[tuple]) -> None:
    for _, profile in visitors:
        assert schemas.first_error("world#/$defs/email", profile.email) is None, profile.email
        assert schemas.first_error("world#/$defs/phone", profile.phone) is None, profile.phone
        assert profile.email.isascii()


def test_emails_come_from_the_name(visitors: list[tuple]) -> None:
    latin = [(v, p) for v, p in visitors if p.name.isascii() or ascii_fold(p.name)]
    assert len(latin) > 1900
    for _, profile in latin:
        local = profile.email.split("@")[0]
        words = {ascii_fold(w, german=g) for w in profile.name.split() for g in (False, True)} - {""}
        assert any(word in local or word[:1] + "." in local for word in words), (profile.name, profile.email)


def test_names_are_from_the_country(fakers: Fakers) -> None:
    japanese = crowd(fakers, 5, 100, country="JP")
    assert sum(not p.name.isascii() for _, p in japanese) > 50  # most in kanji, some in Latin letters
    german = [p.name for _, p in crowd(fakers, 5, 200, country="DE")]
    american = [p.name for _, p in crowd(fakers, 5, 200, country="US")]
    assert not set(german) & set(american)


def test_the_language_can_be_chosen(fakers: Fakers) -> None:
    for language in LANGUAGES:
        for visitor, profile in crowd(fakers, 6, 40, language=language):
            assert profile.language == language
            assert language_of(visitor.locale) == language
            assert language in OFFICIAL[visitor.country_code]
    with pytest.raises(ValueError, match="languages"):
        make_visitor(random.Random(0), Fakers(), language="sv")
    with pytest.raises(ValueError, match="no visitor speaks 'ja' in DE"):
        make_visitor(random.Random(0), Fakers(), language="ja", country="DE")


# -- from where ---------------------------------------------------------------------------------------------


def test_the_geography_holds_together(visitors: list[tuple]) -> None:
    for visitor, profile in visitors:
        country = COUNTRY_BY_CODE[visitor.country_code]
        assert visitor.country == country.name
        city = next(c for c in country.cities if c.name == visitor.city)
        assert visitor.region == city.region
        assert math.dist((visitor.latitude, visitor.longitude), (city.latitude, city.longitude)) < 0.05
        first_tag = visitor.locale.split(",")[0]
        assert first_tag in country.language_codes
        assert profile.language == language_of(first_tag) in OFFICIAL[country.code]
        region = first_tag.partition("-")[2]
        assert region in ("", "419", country.code) or country.code in ("CA", "AU", "IN", "AT")
    seen = {v.country_code for v, _ in visitors}
    assert seen == set(COUNTRY_BY_CODE)


def test_the_table_places_cities_inside_their_countries() -> None:
    # Rough bounding boxes: a city typed into the wrong country, or with a swapped sign, falls outside.
    boxes = {
        "US": (24, 50, -125, -66),
        "GB": (49, 61, -9, 2),
        "DE": (47, 55, 5, 16),
        "FR": (41, 51, -5, 10),
        "ES": (35, 44, -10, 5),
        "NL": (50, 54, 3, 8),
        "IT": (36, 48, 6, 19),
        "BR": (-34, 6, -74, -34),
        "CA": (42, 70, -141, -52),
        "AU": (-44, -10, 112, 154),
        "IN": (6, 36, 68, 98),
        "JP": (24, 46, 122, 146),
        "MX": (14, 33, -118, -86),
        "AT": (46, 49.1, 9, 17.2),
    }
    assert {c.code for c in COUNTRIES} == set(boxes)
    for country in COUNTRIES:
        south, north, west, east = boxes[country.code]
        for city in country.cities:
            assert south < city.latitude < north, (country.code, city)
            assert west < city.longitude < east, (country.code, city)


def test_ip_addresses_are_public(visitors: list[tuple]) -> None:
    for visitor, _ in visitors:
        address = ipaddress.ip_address(visitor.ip_address)
        assert address.version == 4
        assert address.is_global, visitor.ip_address
    for country in COUNTRIES:
        for octet in country.ip_blocks:
            assert octet not in (0, 10, 100, 127, 169, 172, 192, 198, 203)
            assert octet < 224
            for end in (f"{octet}.0.0.1", f"{octet}.255.255.254"):
                assert ipaddress.ip_address(end).is_global, end


def test_locales_read_as_accept_language_lists(visitors: list[tuple]) -> None:
    for visitor, _ in visitors[:200]:
        found = accept_languages(visitor.locale)
        assert found
        assert found[0][1] == visitor.locale.split(",")[0]


# -- with what ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("agent", USER_AGENTS, ids=lambda ua: f"{ua.browser}-{ua.os}-{ua.weight}")
def test_user_agents_read_as_their_browser_and_os(agent) -> None:
    browser, os_name = browser_and_os(agent.string)
    assert browser.startswith(agent.browser + " (")
    assert os_name.startswith(agent.os)
    assert os_name != agent.os or agent.os in ("Linux", "Android")  # a version where the UA says one


def test_visitors_use_the_table_s_user_agents(visitors: list[tuple]) -> None:
    strings = {ua.string for ua in USER_AGENTS}
    used = {v.user_agent for v, _ in visitors}
    assert used <= strings
    assert len(used) >= len(strings) - 3


# -- which pages --------------------------------------------------------------------------------------------


def test_pages_are_on_the_site_and_referrers_elsewhere(visitors: list[tuple]) -> None:
    for visitor, _ in visitors:
        assert visitor.page_url.startswith(SHOP + "/")
        assert visitor.entry_url.startswith(SHOP + "/")
        if visitor.referrer_url is not None:
            host = urlsplit(visitor.referrer_url).hostname
            assert visitor.referrer_url.startswith("https://")
            assert host
            assert not host.endswith("example.com")
    assert any("utm_source=newsletter" in v.entry_url for v, _ in visitors)
    assert any(v.referrer_url == "https://www.google.de/" for v, _ in visitors if v.country_code == "DE")


def test_the_site_s_kind_sets_pages_and_variables(fakers: Fakers) -> None:
    assert (site_kind(SHOP), site_kind("https://app.example.com"), site_kind("https://www.example.com")) == (
        "retail",
        "saas",
        "support",
    )
    for visitor, _ in crowd(fakers, 8, 100, site=SHOP):
        names = [name for name, _ in visitor.javascript_variables]
        assert {"cartValue", "cartItems", "currency"} <= set(names)
        assert ("userId" in names) == (visitor.email is not None)
        if "/products/" in visitor.page_url:
            assert names[:2] == ["productName", "productPrice"]
    for visitor, _ in crowd(fakers, 8, 100, site="https://app.example.com/"):
        assert visitor.page_url.startswith("https://app.example.com/")
        assert visitor.javascript_variables[0][0] == "plan"


# -- phrases ------------------------------------------------------------------------------------------------


def test_every_phrase_exists_in_every_language() -> None:
    assert set(phrases.CATEGORIES) >= {
        "question",
        "answer",
        "greeting",
        "closing",
        "bot",
        "offline",
        "survey",
        "proactive",
    }
    assert set(LANGUAGES) <= set(phrases.LANGUAGES)
    for category, bank in phrases.BANK.items():
        assert len(bank) >= 8, category
        for phrase in bank:
            assert len(phrase.texts) == len(phrases.LANGUAGES)
            assert all(t and t == t.strip() for t in phrase.texts), phrase
            english = phrase.texts[0]
            assert english.isascii()
            # A translation, not the English copied: long lines differ from English in every language.
            if len(english) > 12:
                assert all(t != english for t in phrase.texts[1:]), phrase
        assert len({p.texts[0] for p in bank}) == len(bank), category
    assert len(phrases.BANK["question"]) == len(phrases.BANK["answer"])


@pytest.mark.parametrize("language", phrases.LANGUAGES)
def test_lines_carry_their_english(language: str) -> None:
    rng = random.Random(language)
    for category, bank in phrases.BANK.items():
        english = {p.texts[0]: p for p in bank}
        for _ in range(20):
            text, translations = phrases.line(rng, category, language)
            if language == "en":
                assert translations is None
                assert text in english
                continue
            assert set(translations) == {"en"}
            phrase = english[translations["en"]]
            column = phrases.LANGUAGES.index(language)
            assert text == phrase.texts[column]
            said, shown = phrases.agent_line(rng, category, language)
            assert said in english
            assert shown == {language: english[said].texts[column]}


def test_line_options() -> None:
    rng = random.Random(0)
    question = phrases.pick(rng, "question", "saas")
    assert phrases.BANK["question"][question].topic == "saas"
    assert phrases.line(rng, "answer", "de", index=question)[1] == {
        "en": phrases.text("answer", question, "en")
    }
    assert all(
        phrases.BANK["survey"][phrases.pick(rng, "survey", "negative")].topic == "negative" for _ in range(20)
    )
    assert phrases.line(rng, "greeting", "pt-BR", index=0)[0] == phrases.text("greeting", 0, "pt")
    assert phrases.line(rng, "greeting", "sv", index=0) == (phrases.text("greeting", 0, "en"), None)
    with pytest.raises(ValueError, match="categories"):
        phrases.line(rng, "smalltalk", "en")


# -- what enrichment knows -------------------------------------------------------------------------------


def test_a_share_of_the_visitors_with_an_email_have_the_samples_requester_details(fakers: Fakers) -> None:
    people = crowd(fakers, 7, n=600)
    known = [visitor for visitor, _ in people if visitor.details]
    assert all(visitor.email for visitor in known)
    with_email = sum(visitor.email is not None for visitor, _ in people)
    assert 0.3 < len(known) / with_email < 0.5  # the data file's share, 0.4
    data = json.loads((resources.files("mocksnap.traffic") / "data/requester-details.json").read_text())
    for visitor in known:
        assert_valid("world#/$defs/requesterDetails", visitor.details)
        details = requester_details(visitor)
        assert_valid("integration-api#/$defs/requesterDetails", details)
        assert list(details) == [key for key in REQUESTER_KEYS if key in details]  # the sample's order
        assert details["title"] in data["titles"]
        assert details["industry"] in data["industries"]
        assert (details["city"], details["state"], details["country"]) == (
            visitor.city,
            visitor.region,
            visitor.country_code,
        )
        assert details["social_profile_links"][0].startswith(("twitter.com/", "www.", "github.com/"))
        _, handle, _, url = visitor.details["social_profile_links"][0].split(",")
        assert url.endswith(handle)
        assert url.split("://")[1] == details["social_profile_links"][0]
    assert len({visitor.details["company_name"] for visitor in known}) > len(known) // 2


def test_requester_details_come_from_the_seed(fakers: Fakers) -> None:
    first = [visitor.details for visitor, _ in crowd(fakers, 60, n=60)]
    again = [visitor.details for visitor, _ in crowd(fakers, 60, n=60)]
    assert first == again
    assert any(first)
