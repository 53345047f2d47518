"""E-mails built from templates. Sending one records it in the outbox
(townmarket.outbox) inside the caller's transaction; the worker delivers it, so a
mail server outage never reaches the request."""
from django.core.mail import EmailMessage
from django.template.loader import render_to_string


def send_templated(template, context, to, reply_to=None, attachments=()):
    """Send `<template>_subject.txt` and `<template>_body.txt` rendered with
    `context`, with `attachments` as (filename, content, mimetype)."""
    EmailMessage(
        subject=render_to_string(f"{template}_subject.txt", context).strip(),
        body=render_to_string(f"{template}_body.txt", context),
        to=to,
        reply_to=reply_to or None,
        attachments=list(attachments),
    ).send()
