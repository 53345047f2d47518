"""E-mails built from templates. Sending one records it in the outbox
(townmarket.outbox) inside the caller's transaction; the worker delivers it, so a
mail server outage never reaches the request."""
from django.core.mail import EmailMessage
from django.template import Context
from django.template.loader import get_template


def render_text(template_name, context):
    """A plain-text template rendered as typed: no HTML escaping (« L'Épicerie », not
    « L&#x27;Épicerie »). Only for text that is not shown as HTML."""
    return get_template(template_name).template.render(Context(context, autoescape=False))


def send_templated(template, context, to, reply_to=None, attachments=()):
    """Send `<template>_subject.txt` and `<template>_body.txt` rendered with
    `context` (plus `marketplace`, the default Site's TownSettings, unless given), with
    `attachments` as (filename, content, mimetype), from the town's sender name; the
    outbox files it under that town."""
    from townmarket.outbox import filed_under
    from townmarket.town import sender, town

    if "marketplace" not in context:
        context = {**context, "marketplace": town()}
    message = EmailMessage(
        from_email=sender(context["marketplace"]),
        subject=" ".join(render_text(f"{template}_subject.txt", context).split()),
        body=render_text(f"{template}_body.txt", context),
        to=to,
        reply_to=reply_to or None,
        attachments=list(attachments),
    )
    with filed_under(context["marketplace"].site_id):
        message.send()
