"""Delivery dates and the delivery zone: pure functions, no database.

A round (or the postman) serves some weekdays. An order placed at `now` can go on the
round of day D when:
- D is one of the service weekdays and not a French public holiday;
- `now` is before the cut-off: `cutoff_time` on the day `cutoff_days_before` days before D
  (18:00 the day before, by default);
- the shop has its preparation time: D is at least `preparation_days` after today;
- the round of D is not full.
"""
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import holidays

HORIZON_DAYS = 62  # how far ahead to look for a round


@lru_cache(maxsize=1)
def french_holidays():
    """France's public holidays (python-holidays computes any year on demand)."""
    return holidays.country_holidays("FR")


def is_french_holiday(day):
    return day in french_holidays()


@dataclass(frozen=True)
class ServiceCalendar:
    weekdays: frozenset  # ISO weekdays served: 1 = Monday … 7 = Sunday
    cutoff_time: dt.time = dt.time(18, 0)
    cutoff_days_before: int = 1
    preparation_days: int = 0

    def cutoff(self, day):
        """The last moment (naive local time) to order for `day`."""
        return dt.datetime.combine(day - dt.timedelta(days=self.cutoff_days_before), self.cutoff_time)

    def serves(self, day):
        return day.isoweekday() in self.weekdays and not is_french_holiday(day)


def delivery_dates(now, calendar, *, count=1, is_full=lambda day: False, horizon_days=HORIZON_DAYS):
    """The first `count` days an order placed at `now` (naive local datetime) can be
    delivered, soonest first; fewer (or none) when the horizon holds no more."""
    today = now.date()
    found = []
    for offset in range(calendar.preparation_days, horizon_days + 1):
        day = today + dt.timedelta(days=offset)
        if not calendar.serves(day) or now >= calendar.cutoff(day) or is_full(day):
            continue
        found.append(day)
        if len(found) == count:
            break
    return found


# -- zone -----------------------------------------------------------------------------
def commune_key(name):
    """« Saint-Quentin-la-Poterie », « ST QUENTIN LA POTERIE » → « saint quentin la poterie »."""
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    return re.sub(r"^(st|ste)\b", lambda m: "saint" if m.group(1) == "st" else "sainte", text)


def split_list(text):
    """Entries typed one per line or separated by commas or semicolons."""
    return [part.strip() for part in re.split(r"[\n,;]+", text or "") if part.strip()]


@dataclass(frozen=True)
class Zone:
    postcodes: frozenset = frozenset()
    communes: frozenset = frozenset()  # commune_key()s

    @classmethod
    def from_text(cls, postcodes_text, communes_text):
        return cls(frozenset(re.sub(r"\s+", "", p) for p in split_list(postcodes_text)),
                   frozenset(commune_key(c) for c in split_list(communes_text)))

    @property
    def configured(self):
        return bool(self.postcodes or self.communes)

    def covers(self, postcode, city):
        """Both lists must agree when both are set (a postcode shared by several communes)."""
        if not self.configured:
            return False
        if self.postcodes and postcode not in self.postcodes:
            return False
        if self.communes and commune_key(city) not in self.communes:
            return False
        return True
