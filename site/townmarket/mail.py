"""E-mails sent after something is done (an order placed, a status changed, an
application decided): a mail server outage is logged, never turned into an error
page, since what the e-mail reports has already happened."""
import logging

from django.core.mail import EmailMessage
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


def send_templated(template, context, to, reply_to=None, attachments=()):
    """Send `<template>_subject.txt` and `<template>_body.txt` rendered with
    `context`, with `attachments` as (filename, content, mimetype); returns whether
    the mail server took it."""
    message = EmailMessage(
        subject=render_to_string(f"{template}_subject.txt", context).strip(),
        body=render_to_string(f"{template}_body.txt", context),
        to=to,
        reply_to=reply_to or None,
        attachments=list(attachments),
    )
    try:
        message.send()
    except Exception:  # noqa: BLE001 - any backend failure is logged, see module docstring
        logger.exception("Could not send %s to %s", template, to)
        return False
    return True
