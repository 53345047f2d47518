from django.utils import timezone


def now():
    """The marketplace's local time, naive (Europe/Paris). Tests freeze it here."""
    return timezone.localtime().replace(tzinfo=None)
