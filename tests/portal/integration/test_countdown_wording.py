"""How long is left before a deadline, as the pages word it in each language."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask_babel import force_locale

from services.portal.entrypoints.web.filters import countdown


@pytest.mark.parametrize(
    ("left", "language", "shown"),
    [
        (timedelta(days=2, hours=3, seconds=30), "en", "2 days and 3 hours"),
        (timedelta(hours=5, minutes=7, seconds=30), "ro", "5 ore și 7 minute"),
        (timedelta(minutes=12, seconds=30), "en", "12 minutes"),
        (timedelta(seconds=40), "ro", "mai puțin de un minut"),
        (timedelta(seconds=40), "ru", "меньше минуты"),
        (timedelta(seconds=-1), "en", "closed"),
    ],
)
def test_the_time_left_names_two_amounts_then_one_then_says_less_than_a_minute(portal_app, left, language, shown):
    with portal_app.test_request_context("/"), force_locale(language):
        assert countdown(datetime.now(UTC) + left) == shown
