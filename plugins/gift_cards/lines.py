"""What a gift card's basket or order line carries, as Oscar line options
(« product options »): its amount, recipient, message and sending date."""
from oscar.core.loading import get_model

Option = get_model("catalogue", "Option")

AMOUNT = "carte_montant"
RECIPIENT_NAME = "carte_destinataire"
RECIPIENT_EMAIL = "carte_email"
MESSAGE = "carte_message"
SEND_ON = "carte_envoi"
OPTIONS = {
    AMOUNT: "Montant de la carte",
    RECIPIENT_NAME: "Destinataire",
    RECIPIENT_EMAIL: "E-mail du destinataire",
    MESSAGE: "Message",
    SEND_ON: "Date d'envoi",
}


def ensure_options():
    return {code: Option.objects.get_or_create(code=code, defaults={"name": name, "type": Option.TEXT,
                                                                    "required": False})[0]
            for code, name in OPTIONS.items()}


def details(line):
    """{option code: value} of a gift card line, {} for any other line. Lines without
    options (almost all) cost no query: their attributes come prefetched."""
    if not hasattr(line, "_gift_card_details"):
        attributes = list(line.attributes.all())
        found = {}
        if attributes:
            codes = dict(Option.objects.filter(pk__in=[a.option_id for a in attributes]).values_list("pk", "code"))
            found = {codes.get(a.option_id): a.value for a in attributes if codes.get(a.option_id) in OPTIONS}
        line._gift_card_details = found if AMOUNT in found else {}
    return line._gift_card_details


def is_gift_card(line):
    return bool(details(line))


def french_day(day, today=None):
    """« 1er décembre », « 24 décembre », « 3 janvier 2027 » (the year when it is not this one)."""
    from django.utils import formats, timezone
    from django.utils.translation import get_language

    today = today or timezone.localdate()
    text = formats.date_format(day, "j F" if day.year == today.year else "j F Y")
    if day.day == 1 and (get_language() or "fr").startswith("fr"):
        text = "1er" + text[1:]
    return text
