"""The next number of a shop's series, under a row lock held until the caller's
transaction ends (the invoicing task's, the cancellation's or the refund's)."""
from django.db import transaction
from django.utils import timezone

from .models import PREFIXES, Sequence


def series_code(partner):
    """The shop's part of a number: its Oscar code, upper case (« FROMAGERIE-TEST »)."""
    return (partner.code or str(partner.pk)).upper()[:40]


def lock_series(partner, kind):
    """The shop's sequence row of `kind`, locked until the transaction ends: whoever
    numbers a document of that series next waits here."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("the series must be locked inside the transaction that saves the document")
    # Created once, without an error when two first documents race to create it.
    Sequence.objects.bulk_create([Sequence(partner=partner, kind=kind)], ignore_conflicts=True)
    return Sequence.objects.select_for_update().get(partner=partner, kind=kind)


def next_number(partner, kind, sequence=None):
    """(rank, « F-FROMAGERIE-TEST-2026-000123 »). Must run inside a transaction: the
    sequence row stays locked until it commits, so the next document waits for it.
    `sequence`: the row already locked by lock_series() in this transaction."""
    sequence = sequence or lock_series(partner, kind)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    year = timezone.localdate().year
    return sequence.last_number, f"{PREFIXES[kind]}-{series_code(partner)}-{year}-{sequence.last_number:06d}"
