"""Patient-facing triage messages: every template renders with every clinic-profile field, strictly."""

from __future__ import annotations

import pytest
from jinja2 import UndefinedError

from assistant.messages import message_names, render
from ingest.readability import flesch_kincaid_grade
from library.settings import US_CRISIS_RESOURCES, ClinicProfile, CrisisResource

# Each template and the values the pipeline passes it.
TEMPLATES: dict[str, dict[str, object]] = {
    "crisis": {},
    "refusal_medical_advice": {"has_general_info": True},
    "refusal_illicit": {},
    "refusal_manipulation": {},
    "refusal_out_of_scope": {},
    "empty_input": {},
    "small_talk": {},
    "too_long": {"max_chars": 2000},
    "no_evidence": {"suggestions": ["Common side effects of ketamine treatment"]},
}

FULL = ClinicProfile(
    name="Riverside Ketamine Clinic",
    phone="(555) 010-2020",
    email="care@riverside.example",
    booking_url="https://riverside.example/book",
    hours="Monday to Friday, 8 am to 6 pm",
    region="US",
    crisis_resources=list(US_CRISIS_RESOURCES),
)
MINIMAL = ClinicProfile()  # the placeholders, with no email and no booking link
ABROAD = ClinicProfile(
    name="Clinique du Lac",
    phone="+33 1 23 45 67 89",
    region="FR",
    crisis_resources=[
        CrisisResource(name="3114", how="Appelez le 3114", when="24h/24, 7j/7"),
        CrisisResource(name="SAMU", how="Appelez le 15"),
    ],
)
PROFILES = {"full": FULL, "minimal": MINIMAL, "abroad": ABROAD}


def test_every_triage_message_has_a_template():
    assert set(TEMPLATES) <= set(message_names())


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("name", TEMPLATES)
def test_renders_with_every_profile(name, profile):
    clinic = PROFILES[profile]
    text = render(name, clinic, **TEMPLATES[name])
    assert text.strip()
    assert "{{" not in text and "{%" not in text
    if name != "empty_input":
        assert clinic.name in text


@pytest.mark.parametrize("name", [n for n in TEMPLATES if n not in ("empty_input", "refusal_out_of_scope")])
def test_contact_fields_appear_when_set(name):
    text = render(name, FULL, **TEMPLATES[name])
    assert FULL.phone in text
    assert FULL.name in text


@pytest.mark.parametrize("name", ["refusal_medical_advice", "no_evidence"])
def test_optional_contact_fields(name):
    full = render(name, FULL, **TEMPLATES[name])
    assert FULL.email in full and FULL.booking_url in full
    minimal = render(name, MINIMAL, **TEMPLATES[name])
    assert "None" not in minimal and "book a visit" not in minimal and "email" not in minimal


@pytest.mark.parametrize("profile", PROFILES)
def test_crisis_resources_come_first_and_in_order(profile):
    clinic = PROFILES[profile]
    text = render("crisis", clinic)
    first_line = text.splitlines()[0]
    assert clinic.crisis_resources[0].name in first_line and clinic.crisis_resources[0].how in first_line
    positions = [text.index(r.how) for r in clinic.crisis_resources]
    assert positions == sorted(positions)
    assert positions[-1] < text.index(clinic.phone)  # the clinic comes after the crisis lines


def test_default_crisis_resources_are_988_and_911():
    text = render("crisis", MINIMAL)
    head = text[: text.index("\n\n")]
    assert "988" in head and "911" in head


def test_crisis_without_configured_resources_still_points_to_emergency_help():
    text = render("crisis", ClinicProfile(crisis_resources=[]))
    assert text.splitlines()[0].startswith("- **Emergency services**")


def test_crisis_language_is_calm_and_safe():
    text = render("crisis", FULL).lower()
    assert "alone" in text and "better" in text
    for unsafe in ("overdose", "pills", "method", "lethal", "commit"):
        assert unsafe not in text


@pytest.mark.parametrize("has_general_info", [True, False])
def test_medical_advice_says_why_and_introduces_general_information(has_general_info):
    text = render("refusal_medical_advice", FULL, has_general_info=has_general_info)
    assert "clinician" in text and "health history" in text
    assert text.rstrip().endswith(":") is has_general_info


def test_medical_advice_emergency_number_follows_the_region():
    assert "911" in render("refusal_medical_advice", FULL, has_general_info=False)
    assert "911" not in render("refusal_medical_advice", ABROAD, has_general_info=False)


def test_substance_helpline_only_in_the_us():
    assert "SAMHSA" in render("refusal_illicit", FULL)
    assert "SAMHSA" not in render("refusal_illicit", ABROAD)


def test_too_long_names_the_limit():
    assert "1234" in render("too_long", FULL, max_chars=1234)


@pytest.mark.parametrize("name,missing", [("refusal_medical_advice", "has_general_info"), ("too_long", "max_chars")])
def test_a_missing_value_fails_loudly(name, missing):
    values = {k: v for k, v in TEMPLATES[name].items() if k != missing}
    with pytest.raises(UndefinedError):
        render(name, FULL, **values)


@pytest.mark.parametrize("name", [n for n in TEMPLATES if n != "no_evidence"])
def test_plain_short_grade_eight_english(name):
    text = render(name, FULL, **TEMPLATES[name])
    assert len(text) < 1200
    assert flesch_kincaid_grade(text) <= 9.0
    assert "<" not in text  # Markdown only; no HTML
