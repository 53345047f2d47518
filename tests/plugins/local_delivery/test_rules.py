"""The date rules, table by table: cut-off, holidays, capacity, kinds of shop, preparation."""
import datetime as dt

import pytest

from plugins.local_delivery.rules import ServiceCalendar, Zone, commune_key, delivery_dates

FOOD = frozenset({2, 5})        # Tuesday and Friday
OTHERS = frozenset({4})         # Thursday
POST = frozenset({1, 2, 3, 4, 5})  # Monday to Friday
D = dt.date
T = dt.datetime


@pytest.mark.parametrize("now, weekdays, expected, why", [
    (T(2026, 11, 23, 10, 0), FOOD, D(2026, 11, 24), "Monday morning: Tuesday's round"),
    (T(2026, 11, 23, 17, 59), FOOD, D(2026, 11, 24), "a minute before the cut-off"),
    (T(2026, 11, 23, 18, 0), FOOD, D(2026, 11, 27), "at the cut-off: Friday"),
    (T(2026, 11, 22, 12, 0), FOOD, D(2026, 11, 24), "Sunday: Tuesday"),
    (T(2026, 11, 23, 10, 0), OTHERS, D(2026, 11, 26), "not food: Thursday"),
    (T(2026, 11, 25, 19, 0), OTHERS, D(2026, 12, 3), "Wednesday evening: next Thursday"),
    (T(2026, 12, 24, 9, 0), FOOD, D(2026, 12, 29), "Christmas Friday skipped"),
    (T(2026, 12, 29, 9, 0), FOOD, D(2027, 1, 5), "Tuesday 29 past its cut-off, New Year's Day (Friday) skipped"),
    (T(2026, 7, 13, 9, 0), FOOD, D(2026, 7, 17), "14 July (Tuesday) skipped"),
    (T(2026, 5, 13, 9, 0), OTHERS, D(2026, 5, 21), "Ascension Thursday skipped"),
    (T(2026, 11, 10, 9, 0), POST, D(2026, 11, 12), "post: 11 November (Wednesday) skipped"),
    (T(2026, 11, 20, 9, 0), POST, D(2026, 11, 23), "post: no Saturday nor Sunday"),
    (T(2026, 11, 23, 19, 0), POST, D(2026, 11, 25), "post: after the cut-off, the day after next"),
])
def test_first_delivery_date(now, weekdays, expected, why):
    assert delivery_dates(now, ServiceCalendar(weekdays)) == [expected], why


def test_a_full_round_is_skipped():
    full = {D(2026, 11, 24)}
    assert delivery_dates(T(2026, 11, 23, 10, 0), ServiceCalendar(FOOD), is_full=full.__contains__) == [
        D(2026, 11, 27)]


def test_several_dates_are_offered_in_order():
    assert delivery_dates(T(2026, 11, 23, 10, 0), ServiceCalendar(FOOD), count=3) == [
        D(2026, 11, 24), D(2026, 11, 27), D(2026, 12, 1)]


@pytest.mark.parametrize("preparation_days, expected", [
    (0, D(2026, 11, 24)), (1, D(2026, 11, 24)), (2, D(2026, 11, 27)), (4, D(2026, 11, 27)), (5, D(2026, 12, 1)),
])
def test_the_shop_preparation_time(preparation_days, expected):
    calendar = ServiceCalendar(FOOD, preparation_days=preparation_days)
    assert delivery_dates(T(2026, 11, 23, 10, 0), calendar) == [expected]


@pytest.mark.parametrize("now, expected", [
    (T(2026, 11, 24, 9, 59), D(2026, 11, 24)),   # same-day cut-off at 10:00
    (T(2026, 11, 24, 10, 0), D(2026, 11, 27)),
])
def test_a_same_day_cut_off(now, expected):
    calendar = ServiceCalendar(FOOD, cutoff_time=dt.time(10, 0), cutoff_days_before=0)
    assert delivery_dates(now, calendar) == [expected]


def test_two_days_ahead_cut_off():
    calendar = ServiceCalendar(FOOD, cutoff_time=dt.time(12, 0), cutoff_days_before=2)
    assert delivery_dates(T(2026, 11, 22, 13, 0), calendar) == [D(2026, 11, 27)]  # Sunday 13:00: Tuesday closed


def test_no_service_day_gives_no_date():
    assert delivery_dates(T(2026, 11, 23, 10, 0), ServiceCalendar(frozenset())) == []


def test_every_date_full_gives_no_date():
    assert delivery_dates(T(2026, 11, 23, 10, 0), ServiceCalendar(FOOD), is_full=lambda day: True) == []


@pytest.mark.parametrize("postcode, city, covered", [
    ("21130", "Val-sur-Ouche", True),
    ("21130", "VAL SUR OUCHE", True),
    ("21130", "Dijon", False),       # the postcode is right, the commune is not in the list
    ("21910", "Saint-Jean-de-Losne", True),
    ("21910", "St Jean de Losne", True),
    ("75001", "Paris", False),
    ("", "", False),
])
def test_the_zone_with_postcodes_and_communes(postcode, city, covered):
    zone = Zone.from_text("21130\n21910", "Val-sur-Ouche, Saint-Jean-de-Losne")
    assert zone.covers(postcode, city) is covered


def test_a_zone_of_postcodes_only_accepts_any_commune_there():
    zone = Zone.from_text("21130; 21 910", "")
    assert zone.covers("21910", "N'importe où") and not zone.covers("21000", "Dijon")


def test_an_empty_zone_covers_nothing():
    assert not Zone.from_text("", "").configured
    assert not Zone.from_text("", "").covers("21130", "Val-sur-Ouche")


def test_commune_names_compare_without_accents_case_or_hyphens():
    assert commune_key("Saint-Étienne-du-Bois") == commune_key("ST ETIENNE DU BOIS") == "saint etienne du bois"
