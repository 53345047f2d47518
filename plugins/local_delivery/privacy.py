"""Who sees the customers' names, phones and addresses on a round: association staff
always (they see every shop's orders anyway); a volunteer only for the rounds they may
be driving, from yesterday's (stops marked late) to next week's (planning)."""
import datetime as dt

from backoffice import roles

from . import clock

DETAILS_DAYS_BEFORE = 1  # round.html says « la veille »
DETAILS_DAYS_AFTER = 7


def sees_every_round(user):
    return user.has_perm(roles.ALL_SHOPS) and user.has_perm(roles.VIEW_ORDERS)


def details_window(today):
    """The first and last days whose rounds a volunteer sees in full."""
    return today - dt.timedelta(days=DETAILS_DAYS_BEFORE), today + dt.timedelta(days=DETAILS_DAYS_AFTER)


def may_see_stops(user, day):
    if sees_every_round(user):
        return True
    first, last = details_window(clock.now().date())
    return first <= day <= last
