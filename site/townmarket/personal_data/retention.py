"""The scheduled purge (`manage.py purge_personal_data`, each night): data older than
its retention (settings RETENTION_*_DAYS) is deleted or anonymised, then each
PURGE_PERSONAL_DATA hook does its part. Running it twice changes nothing the second
time. Returns one French line per kind of data, with how many were purged."""
import datetime as dt
from collections import defaultdict

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Max
from django.db.models.functions import Coalesce, Greatest, Lower
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from backoffice.models import ShopApplication
from townmarket import extensions
from townmarket.models import OutboxMessage

from . import erasure, subjects

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")


def cutoff(now, days):
    return now - dt.timedelta(days=days)


def purge_baskets(now):
    """Open or saved baskets nobody touched for RETENTION_ABANDONED_BASKETS_DAYS."""
    days = settings.RETENTION_ABANDONED_BASKETS_DAYS
    abandoned = (Basket.objects.filter(status__in=[Basket.OPEN, Basket.SAVED])
                 .annotate(last_touched=Greatest("date_created", Coalesce(Max("lines__date_updated"), "date_created")))
                 .filter(last_touched__lt=cutoff(now, days)).values_list("pk", flat=True))
    count = Basket.objects.filter(pk__in=list(abandoned)).delete()[1].get(Basket._meta.label, 0)
    return _("Paniers abandonnés depuis plus de %(days)s jours supprimés : %(count)s") % {"days": days, "count": count}


def purge_applications(now):
    """Shop applications refused more than RETENTION_REFUSED_APPLICATIONS_DAYS ago."""
    days = settings.RETENTION_REFUSED_APPLICATIONS_DAYS
    count = ShopApplication.objects.filter(status=ShopApplication.Status.REJECTED,
                                           decided_at__lt=cutoff(now, days)).delete()[0]
    return _("Demandes d'inscription refusées depuis plus de %(days)s jours supprimées : %(count)s") % {
        "days": days, "count": count}


def guests_gone_quiet(now, days):
    """{guest key: [order ids]} for guests (by e-mail, else phone) whose last order is
    older than `days` and whose contact data is still there."""
    guest_orders = Order.objects.filter(user=None)
    with_email = guest_orders.exclude(guest_email="").annotate(key=Lower("guest_email"))
    with_phone = guest_orders.filter(guest_email="").exclude(customer_phone="").annotate(key=Lower("customer_phone"))
    found = defaultdict(list)
    for orders in (with_email, with_phone):
        quiet = (orders.values("key").annotate(last=Max("date_placed")).filter(last__lt=cutoff(now, days))
                 .values_list("key", flat=True))
        for key, pk in orders.filter(key__in=list(quiet)).values_list("key", "pk"):
            found[key].append(pk)
    return found


def purge_guest_orders(now):
    """Guests' name, e-mail, phone and address on their orders, RETENTION_GUEST_ORDERS_DAYS
    after their last order (the orders, their amounts and invoices stay)."""
    days = settings.RETENTION_GUEST_ORDERS_DAYS
    erased = 0
    for order_ids in guests_gone_quiet(now, days).values():
        subject = subjects.of_orders(order_ids)
        try:
            with transaction.atomic():
                erasure.erase(subject)
        except extensions.ErasureRefused:
            continue  # an order still in progress: at the next run
        erased += 1
    return _("Clients sans compte sans commande depuis plus de %(days)s jours, coordonnées effacées : %(count)s") % {
        "days": days, "count": erased}


def purge_inactive_accounts(now):
    """Customer accounts nobody signed in to (or, never used, created) for
    RETENTION_INACTIVE_ACCOUNTS_DAYS, erased as « Effacer mon compte » does; back-office
    accounts are closed by the association, and an order in progress waits its end."""
    days = settings.RETENTION_INACTIVE_ACCOUNTS_DAYS
    asleep = (get_user_model().objects.filter(is_staff=False, is_superuser=False, groups=None, partners=None)
              .annotate(last_seen=Coalesce("last_login", "date_joined")).filter(last_seen__lt=cutoff(now, days)))
    closed = 0
    for user in asleep:
        try:
            with transaction.atomic():
                erasure.erase(subjects.of_user(user))
        except extensions.ErasureRefused:
            continue  # an order still in progress: at the next run
        closed += 1
    return _("Comptes sans connexion depuis plus de %(days)s jours fermés : %(count)s") % {"days": days, "count": closed}


def purge_sent_emails(now):
    """Copies of e-mails sent (or given up) more than RETENTION_SENT_EMAILS_DAYS ago."""
    days = settings.RETENTION_SENT_EMAILS_DAYS
    count = OutboxMessage.objects.filter(status__in=[OutboxMessage.SENT, OutboxMessage.FAILED],
                                         created_at__lt=cutoff(now, days)).delete()[0]
    return _("Copies d'e-mails de plus de %(days)s jours supprimées : %(count)s") % {"days": days, "count": count}


def purge_login_records(now):
    """django-axes' login records (name typed, address, browser) older than RETENTION_LOGIN_RECORDS_DAYS,
    and sessions past their expiry date."""
    days = settings.RETENTION_LOGIN_RECORDS_DAYS
    count = sum(model.objects.filter(attempt_time__lt=cutoff(now, days)).delete()[0]
                for model in (AccessAttempt, AccessFailureLog, AccessLog))
    sessions = Session.objects.filter(expire_date__lt=now).delete()[0]
    return _("Traces de connexion de plus de %(days)s jours supprimées : %(count)s ; sessions expirées : %(sessions)s") % {
        "days": days, "count": count, "sessions": sessions}


def purge(now):
    lines = [purge_baskets(now), purge_applications(now), purge_guest_orders(now), purge_inactive_accounts(now),
             purge_sent_emails(now), purge_login_records(now)]
    return lines + extensions.purge_personal_data(now)
