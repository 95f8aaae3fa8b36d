"""A small platform with a record of every kind, in the states the API and pages act on, for the
harnesses that call every endpoint (tests/test_api_schema.py, tests/test_no_server_error.py,
tests/test_extreme_values.py). Built from the apps' own factories and access-table builders."""

from types import SimpleNamespace


def populate(world) -> SimpleNamespace:
    from kechuang.achievements.choices import AchievementStatus
    from kechuang.achievements.tests.factories import make_achievement
    from kechuang.demands.choices import DemandStatus
    from kechuang.demands.tests.factories import make_demand
    from kechuang.instruments.tests import test_access as instrument_cases
    from kechuang.instruments.tests.factories import make_instrument
    from kechuang.matching.tests import test_access as matching_cases
    from kechuang.programs.tests import test_access as programme_cases
    from kechuang.vouchers.tests import test_access as voucher_cases
    from kechuang.vouchers.tests.factories import issued_voucher, make_scheme

    made = SimpleNamespace()
    made.achievements = [make_achievement(world, status=status).pk for status in (
        AchievementStatus.DRAFT, AchievementStatus.SUBMITTED, AchievementStatus.PUBLISHED)]
    made.demands = [make_demand(world, status=status).pk for status in (
        DemandStatus.DRAFT, DemandStatus.SUBMITTED, DemandStatus.PUBLISHED)]
    made.cases = matching_cases.case(world)
    made.instruments = [make_instrument(world).pk]
    made.bookings = [instrument_cases.booking(world)[1], *instrument_cases.confirmed_booking(world)]
    made.schemes = voucher_cases.scheme(world)
    made.vouchers = [issued_voucher(world, make_scheme(world)).pk, *voucher_cases.application(world)]
    made.settlements = voucher_cases.settlement(world)
    made.calls = programme_cases.call(world)
    made.applications = programme_cases.draft(world) + programme_cases.submitted(world)
    made.reviews = programme_cases.seat(world) + programme_cases.accepted_seat(world)
    return made
