"""Time entry: forgiving, never crashing, and never quietly moving a finish to the next day."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from safety_tui.common.errors import PlanError
from safety_tui.plans.lifecycle import PLANNING_HORIZON
from safety_tui.plans.timeparse import (
    FinishBeforeStart,
    TimeParseError,
    entry_text,
    parse_day,
    parse_duration,
    parse_finish,
    parse_grace,
    parse_start,
    parse_when,
)

UTC = timezone.utc
NOW = datetime(2026, 11, 25, 13, 0, 37, tzinfo=UTC)  # Wednesday, 13:00 GMT
ZONES = ["UTC", "Europe/London", "Europe/Berlin", "America/New_York", "Pacific/Kiritimati", "Pacific/Pago_Pago"]


# -- start: now, +10m, in 10 minutes ----------------------------------------------
@pytest.mark.parametrize(
    ("text", "after"),
    [
        ("now", timedelta(0)),
        ("NOW", timedelta(0)),
        ("+10m", timedelta(minutes=10)),
        ("+10", timedelta(minutes=10)),
        ("in 10 minutes", timedelta(minutes=10)),
        ("in 10 min", timedelta(minutes=10)),
        ("in 1 hour", timedelta(hours=1)),
        ("in 1h30", timedelta(minutes=90)),
        ("+2 hours", timedelta(hours=2)),
    ],
)
def test_start_accepts_now_and_times_from_now(text, after):
    start = parse_start(text, NOW, "Europe/London")
    assert start.tzinfo is not None
    assert start.astimezone(UTC) - NOW == after


def test_start_in_ten_minutes_counts_real_time_across_the_spring_jump():
    now = datetime(2026, 3, 29, 0, 55, tzinfo=UTC)  # 00:55 GMT; at 01:00 GMT clocks jump to 02:00 BST
    start = parse_start("in 10 minutes", now, "Europe/London")
    assert start.astimezone(UTC) == datetime(2026, 3, 29, 1, 5, tzinfo=UTC)
    assert start.strftime("%H:%M %Z") == "02:05 BST"


@pytest.mark.parametrize("text", ["in", "in soon", "+", "in an hour"])
def test_an_unreadable_relative_start_says_what_to_type(text):
    with pytest.raises(TimeParseError, match="is not a time"):
        parse_start(text, NOW, "UTC")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14:30", datetime(2026, 11, 25, 14, 30)),
        ("2:30pm", datetime(2026, 11, 25, 14, 30)),
        ("2 pm", datetime(2026, 11, 25, 14, 0)),
        ("tomorrow 2:30 pm", datetime(2026, 11, 26, 14, 30)),
        ("fri 9.15", datetime(2026, 11, 27, 9, 15)),
        ("27/11 10h00", datetime(2026, 11, 27, 10, 0)),
        ("2026-12-01 noon", datetime(2026, 12, 1, 12, 0)),
        ("1/1 midnight", datetime(2027, 1, 1, 0, 0)),
    ],
)
def test_forgiving_times_of_day(text, expected):
    assert parse_when(text, NOW, "Europe/London").replace(tzinfo=None) == expected


# -- a finish earlier than the start is asked about, never silently moved -----------
def test_finish_before_start_asks_about_the_next_day():
    start = parse_start("22:30", NOW, "Europe/London")
    with pytest.raises(FinishBeforeStart) as caught:
        parse_finish("22:00", start, NOW, "Europe/London")
    err = caught.value
    assert isinstance(err, PlanError)
    assert err.typed == datetime(2026, 11, 25, 22, 0, tzinfo=err.typed.tzinfo)
    assert err.next_day.replace(tzinfo=None) == datetime(2026, 11, 26, 22, 0)
    assert str(err) == (
        "The finish (22:00) is not after the start (22:30). "
        "Do you mean Thu 26 Nov 22:00, the next day? Then type 26/11 22:00."
    )
    # What the message says to type is read as that very time, and so is the agreed next day.
    assert parse_finish("26/11 22:00", start, NOW, "Europe/London") == err.next_day
    assert parse_finish("22:00", start, NOW, "Europe/London", next_day_ok=True) == err.next_day


@pytest.mark.parametrize("text", ["midnight", "00:30", "22:30"])
def test_finish_at_or_after_midnight_is_asked_about_too(text):
    start = parse_start("22:30", NOW, "Europe/London")
    with pytest.raises(FinishBeforeStart):
        parse_finish(text, start, NOW, "Europe/London")


def test_finish_with_its_own_day_before_the_start_is_a_plain_error():
    start = parse_start("tomorrow 22:30", NOW, "Europe/London")
    with pytest.raises(TimeParseError, match="^the expected finish must be after the start$") as caught:
        parse_finish("tomorrow 22:00", start, NOW, "Europe/London")
    assert not isinstance(caught.value, FinishBeforeStart)
    with pytest.raises(TimeParseError, match="must be after the start"):
        parse_finish("in 10 minutes", start, NOW, "Europe/London")  # counted from now, before the start


def test_finish_after_the_start_and_durations_need_no_question():
    start = parse_start("22:30", NOW, "Europe/London")
    assert parse_finish("23:15", start, NOW, "Europe/London").replace(tzinfo=None) == datetime(2026, 11, 25, 23, 15)
    assert parse_finish("+3h", start, NOW, "Europe/London").replace(tzinfo=None) == datetime(2026, 11, 26, 1, 30)
    with pytest.raises(TimeParseError, match="at least a minute"):
        parse_finish("+0m", start, NOW, "Europe/London")


# -- out-of-range input is a PlanError with a plain message, never a traceback -------
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("+9999999999", "more than a year"),
        ("+99999999999999999999", "more than a year"),
        ("+999999h", "more than a year"),
        ("31/12/9999 10:00", "9999-12-31 is more than a year away"),
        ("9999-12-31 23:59", "more than a year away"),
        ("0001-01-01 00:10", "0001-01-01 is more than a year ago"),
        ("27/11/1999 10:00", "more than a year ago"),
        ("1" * 5000, "too long to be a time"),
        ("31/02 10:00", "is not a date"),
        ("99:99", "is not a time of day"),
        ("13pm", "hour must be 1 to 12"),
        ("", "enter a time"),
    ],
)
@pytest.mark.parametrize("tz", ["Europe/Berlin", "UTC"])
def test_out_of_range_times_are_plain_errors(text, message, tz):
    with pytest.raises(PlanError, match=message):
        parse_start(text, NOW, tz)


@pytest.mark.parametrize("text", ["+9999999999", "31/12/9999 10:00", "0001-01-01 00:10", "+600000"])
def test_out_of_range_finishes_are_plain_errors(text):
    start = parse_start("14:00", NOW, "Europe/Berlin")
    with pytest.raises(PlanError, match="more than a year"):
        parse_finish(text, start, NOW, "Europe/Berlin")


def test_a_clock_at_the_edge_of_the_calendar_is_a_plain_error():
    for now in (datetime(9999, 12, 31, 23, 59, tzinfo=UTC), datetime(1, 1, 1, 0, 0, tzinfo=UTC)):
        with pytest.raises(PlanError, match="out of range"):
            parse_start("+10m", now, "Europe/Berlin")


def test_29_february_rolled_into_a_year_without_one_is_not_a_date():
    today = date(2028, 3, 1)  # 29/02 this year has passed; next year has no 29 February
    with pytest.raises(TimeParseError, match="'29/02' is not a date"):
        parse_day("29/02", today)


def test_an_unknown_time_zone_is_a_plain_error():
    for tz in ("Nowhere/City", "", "../../etc/passwd"):
        with pytest.raises(PlanError, match="unknown time zone"):
            parse_start("14:00", NOW, tz)


def test_error_messages_quote_typed_text_printably():
    with pytest.raises(TimeParseError) as caught:
        parse_start("\x1b]0;x\x07", NOW, "UTC")
    assert "\x1b" not in str(caught.value) and "\\x1b" in str(caught.value)


@pytest.mark.parametrize(("text", "minutes"), [("15", 15), ("", 0), (" 0 ", 0), ("1440", 1440)])
def test_grace_minutes(text, minutes):
    assert parse_grace(text) == minutes


@pytest.mark.parametrize("text", ["-5", "abc", "1441", "99999999999999", "1.5"])
def test_bad_grace_is_a_plain_error(text):
    with pytest.raises(PlanError, match="grace"):
        parse_grace(text)


# -- properties -----------------------------------------------------------------------
TOKENS = st.sampled_from(
    [
        "now",
        "in",
        "+",
        "-",
        " ",
        ":",
        ".",
        "/",
        "h",
        "m",
        "min",
        "hours",
        "am",
        "pm",
        "p.m.",
        "today",
        "tomorrow",
        "fri",
        "noon",
        "midnight",
        "0",
        "1",
        "9",
        "12",
        "23",
        "59",
        "99",
        "2026",
        "9999",
        "0001",
        "29/02",
        "31/12",
        "\x00",
        "\x1b",
        "\u202e",
        "\n",
        "\t",
        "１",
        "٣",
    ]
)
TEXTS = st.one_of(st.text(max_size=80), st.lists(TOKENS, max_size=12).map("".join))
NOWS = st.datetimes(min_value=datetime(1971, 1, 2), max_value=datetime(2998, 12, 30), timezones=st.just(UTC))


def _valid(when: datetime, now: datetime) -> bool:
    return when.tzinfo is not None and when.utcoffset() is not None and abs(when - now) <= PLANNING_HORIZON


@settings(deadline=None)  # examples: the profile (conftest)
@given(text=TEXTS, now=NOWS, tz=st.sampled_from(ZONES))
def test_any_text_is_a_valid_aware_time_or_a_plan_error(text, now, tz):
    try:
        start = parse_start(text, now, tz)
    except PlanError:
        return
    assert _valid(start, now)


@settings(deadline=None)  # examples: the profile (conftest)
@given(text=TEXTS, now=NOWS, tz=st.sampled_from(ZONES), ahead=st.integers(min_value=-600, max_value=600))
def test_any_finish_text_is_after_the_start_or_a_plan_error(text, now, tz, ahead):
    start = now + timedelta(minutes=ahead)
    for agreed in (False, True):
        try:
            finish = parse_finish(text, start, now, tz, next_day_ok=agreed)
        except PlanError:
            continue
        assert _valid(finish, now) and finish > start


@settings(deadline=None)  # examples: the profile (conftest)
@given(text=TEXTS)
def test_any_text_is_a_duration_none_or_a_plan_error(text):
    try:
        duration = parse_duration(text)
        grace = parse_grace(text)
    except PlanError:
        return
    assert duration is None or timedelta(0) <= duration <= PLANNING_HORIZON
    assert 0 <= grace <= 1440


@settings(deadline=None)  # examples: the profile (conftest)
@given(
    now=NOWS,
    tz=st.sampled_from(["UTC", "Asia/Tokyo", "Europe/Berlin"]),
    start_in=st.integers(min_value=-300, max_value=60 * 24 * 300),
    length=st.integers(min_value=1, max_value=60 * 48),
)
def test_what_an_input_box_shows_reads_back_as_the_same_time(now, tz, start_in, length):
    now = now.replace(second=0, microsecond=0)
    start = now + timedelta(minutes=start_in)
    finish = start + timedelta(minutes=length)
    # In the repeated autumn hour a wall-clock HH:MM names two moments; the DST tests cover it.
    assume(tz != "Europe/Berlin" or 10 not in (start.month, finish.month))
    assert parse_start(entry_text(start, tz, now=now), now, tz) == start
    assert parse_finish(entry_text(finish, tz, same_day_as=start), start, now, tz) == finish
