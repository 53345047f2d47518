"""Against guessing codes: a network address that typed GIFT_CARD_THROTTLE_ATTEMPTS
wrong codes in the last GIFT_CARD_THROTTLE_MINUTES must wait. Attempts are rows in
the database, so every server process counts the same ones."""
import datetime

from django.conf import settings
from django.utils import timezone

from .models import CodeAttempt


def address(request):
    return (request.META.get("REMOTE_ADDR") or "inconnue")[:64]


def window_start():
    return timezone.now() - datetime.timedelta(minutes=settings.GIFT_CARD_THROTTLE_MINUTES)


def is_blocked(request):
    failures = CodeAttempt.objects.filter(address=address(request), succeeded=False, at__gte=window_start())
    return failures.count() >= settings.GIFT_CARD_THROTTLE_ATTEMPTS


def record(request, succeeded):
    CodeAttempt.objects.create(address=address(request), succeeded=succeeded)
    CodeAttempt.objects.filter(at__lt=timezone.now() - datetime.timedelta(days=1)).delete()
