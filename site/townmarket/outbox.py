"""E-mails through an outbox. EMAIL_BACKEND is OutboxBackend: sending an e-mail writes
an OutboxMessage row and enqueues its delivery task (django-tasks, database backend:
one more row) in the transaction of the change that caused it, so an order and its
e-mails are saved together or not at all, and no web request waits on a mail server.

The task worker (`manage.py db_worker`) delivers through OUTBOX_DELIVERY_BACKEND (SMTP in
production). A temporary failure is retried with a growing delay, up to
OUTBOX_MAX_ATTEMPTS; a refused or malformed address fails at once with its reason.
Failed messages are listed in the back office, where staff can send them again.
Delivery is at least once: a worker killed mid-send leaves the message « sending »
and `manage.py requeue_outbox` (cron) hands it out again; each message keeps one
Message-ID, so a duplicate is recognisable.

Rendering can wait for the worker too: defer(renderer, subject, recipients, **kwargs)
records one row standing for the e-mails that `renderer` (a function marked
@outbox.renderer, e.g. an order's shops' and customer's e-mails) sends when called with
`kwargs`. The worker calls it in one transaction in which the e-mails it sends are
recorded (each a row of its own, delivered as above) and the standing row deleted; if
it fails, the row is retried, listed as failed and sent again like any e-mail. So a
request saves a small row instead of rendering templates, and nothing is lost."""
import base64
import contextlib
import contextvars
import datetime
import logging
import smtplib
from email import message_from_bytes

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import make_msgid, sanitize_address
from django.core.mail.utils import DNS_NAME
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from townmarket.models import OutboxMessage

logger = logging.getLogger(__name__)
STALE_AFTER = datetime.timedelta(minutes=10)
MAX_RETRY_DELAY = 3600  # seconds


class OutboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        with transaction.atomic():
            for message in email_messages:
                record(message)
        return len(email_messages)


_town_of_emails = contextvars.ContextVar("town_of_emails", default=None)


@contextlib.contextmanager
def filed_under(town_id):
    """E-mails sent inside this block are the town's (its association's « E-mails non
    envoyés »), whoever builds them: our templates or Oscar's dispatcher."""
    token = _town_of_emails.set(town_id)
    try:
        yield
    finally:
        _town_of_emails.reset(token)


def record(message):
    payload = to_payload(message)
    outbox_message = OutboxMessage.objects.create(
        message_id=payload["headers"]["Message-ID"], subject=str(message.subject)[:255],
        recipients=", ".join(message.recipients()), payload=payload, town_id=_town_of_emails.get())
    deliver_email.enqueue(outbox_message.pk)
    return outbox_message


def renderer(function):
    """Marks a function that defer() may name: the worker calls no other."""
    function.outbox_renderer = True
    return function


def defer(function, subject, recipients="", town=None, **kwargs):
    """One outbox row for the e-mails `function` (marked @renderer) sends when the worker
    calls it with `kwargs` (JSON values: ids, not objects); `subject` and `recipients`
    are what the back office lists while it waits or if it fails, to the association of
    `town` (a Site). In the caller's transaction."""
    if not getattr(function, "outbox_renderer", False):
        raise ValueError(f"{function!r} is not marked @outbox.renderer")
    message_id = make_msgid(domain=DNS_NAME)
    outbox_message = OutboxMessage.objects.create(
        message_id=message_id, subject=str(subject)[:255], recipients=recipients, town=town,
        payload={"render": {"function": f"{function.__module__}.{function.__qualname__}", "kwargs": kwargs},
                 "headers": {"Message-ID": message_id}})
    deliver_email.enqueue(outbox_message.pk)
    return outbox_message


def render_deferred(message):
    """Calls the row's renderer: the e-mails it sends are recorded (EMAIL_BACKEND, the
    outbox) and the row deleted, in one transaction, or none of it."""
    spec = message.payload["render"]
    function = import_string(spec["function"])
    if not getattr(function, "outbox_renderer", False):
        raise ValueError(f"{spec['function']} is not an outbox renderer")
    with transaction.atomic():
        function(**spec["kwargs"])
        OutboxMessage.objects.filter(pk=message.pk).delete()
    return OutboxMessage.SENT


def to_payload(message):
    headers = {str(name): str(value) for name, value in message.extra_headers.items()}
    headers.setdefault("Message-ID", make_msgid(domain=DNS_NAME))
    attachments = []
    for attachment in message.attachments:
        if hasattr(attachment, "as_bytes"):  # a ready-made MIME part
            attachments.append({"mime": base64.b64encode(attachment.as_bytes()).decode()})
            continue
        filename, content, mimetype = attachment
        is_bytes = isinstance(content, bytes)
        attachments.append({"filename": filename, "mimetype": mimetype, "bytes": is_bytes,
                            "content": base64.b64encode(content).decode() if is_bytes else content})
    return {
        "from_email": message.from_email, "to": list(message.to), "cc": list(message.cc),
        "bcc": list(message.bcc), "reply_to": list(message.reply_to), "subject": str(message.subject),
        "body": message.body, "headers": headers,
        "alternatives": [[content, mimetype] for content, mimetype in getattr(message, "alternatives", [])],
        "attachments": attachments,
    }


def from_payload(payload, connection=None):
    message = EmailMultiAlternatives(
        subject=payload["subject"], body=payload["body"], from_email=payload["from_email"], to=payload["to"],
        cc=payload["cc"], bcc=payload["bcc"], reply_to=payload["reply_to"], headers=payload["headers"],
        alternatives=[tuple(alternative) for alternative in payload["alternatives"]], connection=connection)
    for attachment in payload["attachments"]:
        if "mime" in attachment:
            message.attach(message_from_bytes(base64.b64decode(attachment["mime"])))
        else:
            content = base64.b64decode(attachment["content"]) if attachment["bytes"] else attachment["content"]
            message.attach(attachment["filename"], content, attachment["mimetype"])
    return message


@task()
def deliver_email(message_pk):
    deliver(message_pk)


def deliver(message_pk):
    """Send one message if it is still waiting; returns its status afterwards."""
    now = timezone.now()
    claimed = OutboxMessage.objects.filter(pk=message_pk, status=OutboxMessage.PENDING).update(
        status=OutboxMessage.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    message = OutboxMessage.objects.filter(pk=message_pk).first()
    if not claimed or message is None:
        return message.status if message else None
    try:
        if "render" in message.payload:
            return render_deferred(message)
        email = from_payload(message.payload, get_connection(settings.OUTBOX_DELIVERY_BACKEND))
        for address in email.recipients():
            sanitize_address(address, email.encoding or settings.DEFAULT_CHARSET)  # ValueError if malformed
        email.send()
    except Exception as error:  # noqa: BLE001 - every failure is recorded on the message
        return _failed(message, error)
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxMessage.SENT, sent_at=timezone.now(),
                                                       last_error="")
    return OutboxMessage.SENT


def is_permanent(error):
    """A refusal that sending again cannot change: a malformed address, or every
    recipient refused for good (5xx)."""
    if isinstance(error, ValueError):
        return True
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    return False


def retry_delay(attempts):
    """How long after its `attempts`-th failure a message is tried again: OUTBOX_RETRY_SECONDS
    (a minute by default), doubled at each failure, at most an hour."""
    first = getattr(settings, "OUTBOX_RETRY_SECONDS", 60)
    return datetime.timedelta(seconds=min(first * 2 ** (attempts - 1), MAX_RETRY_DELAY))


def _failed(message, error):
    reason = f"{type(error).__name__}: {error}"[:2000]
    if is_permanent(error) or message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        logger.error("E-mail %s to %s not sent: %s", message.message_id, message.recipients, reason)
        OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxMessage.FAILED, last_error=reason)
        return OutboxMessage.FAILED
    next_attempt = timezone.now() + retry_delay(message.attempts)
    logger.warning("E-mail %s to %s: %s; next attempt at %s", message.message_id, message.recipients, reason,
                   next_attempt)
    with transaction.atomic():
        OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxMessage.PENDING, last_error=reason,
                                                           next_attempt_at=next_attempt)
        if deliver_email.get_backend().supports_defer:  # else `requeue_outbox` hands it out again
            deliver_email.using(run_after=next_attempt).enqueue(message.pk)
    return OutboxMessage.PENDING


def send_again(message_pk):
    """Staff's « Renvoyer » on a failed message: a fresh round of attempts."""
    with transaction.atomic():
        again = OutboxMessage.objects.filter(pk=message_pk, status=OutboxMessage.FAILED).update(
            status=OutboxMessage.PENDING, attempts=0, next_attempt_at=None)
        if again:
            deliver_email.enqueue(message_pk)
    return bool(again)


def requeue_stale():
    """Hand out again what a dead worker left: messages « sending » for too long, and
    waiting ones whose task was lost. Returns how many."""
    cutoff = timezone.now() - STALE_AFTER
    with transaction.atomic():
        interrupted = OutboxMessage.objects.filter(status=OutboxMessage.SENDING, claimed_at__lt=cutoff)
        forgotten = (OutboxMessage.objects.filter(status=OutboxMessage.PENDING, created_at__lt=cutoff)
                     .exclude(next_attempt_at__gte=cutoff))
        stale = list(interrupted.values_list("pk", flat=True)) + list(forgotten.values_list("pk", flat=True))
        OutboxMessage.objects.filter(pk__in=stale).update(status=OutboxMessage.PENDING, next_attempt_at=None)
        for pk in stale:
            deliver_email.enqueue(pk)
    return len(stale)
