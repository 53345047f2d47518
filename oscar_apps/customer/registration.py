"""Registration that never tells whether an address has an account.

The form asks for the address only; the same « vérifiez votre boîte » page follows
whatever it is. The address receives either a link to choose a password (the account
is created only then, so nobody can open an account in someone else's name) or, when
it already has an account, a reminder with the password-reset link."""
from django.contrib.auth import get_user_model
from django.core import signing
from django.urls import reverse

from townmarket.absolute_urls import absolute_url
from townmarket.mail import send_templated
from townmarket.town import town

LINK_SALT = "townmarket.customer.registration"
LINK_VALID_FOR = 3 * 24 * 3600  # seconds


class InvalidLink(Exception):
    pass


def has_account(email):
    return get_user_model()._default_manager.filter(email__iexact=email).exists()


def answer(request, email, redirect_url):
    """E-mail `email` what comes next; the caller shows the same page in every case."""
    if has_account(email):
        send_templated("emails/registration_known", {
            "marketplace": town(request),
            "reset_url": absolute_url(reverse("password-reset"), request),
            "login_url": absolute_url(reverse("customer:login"), request),
        }, [email])
        return
    token = signing.dumps({"email": email, "next": redirect_url}, salt=LINK_SALT, compress=True)
    send_templated("emails/registration_new", {
        "marketplace": town(request),
        "confirm_url": absolute_url(reverse("customer:register-confirm", args=[token]), request),
        "valid_days": LINK_VALID_FOR // (24 * 3600),
    }, [email])


def attach_guest_orders(user, phone=None):
    """Orders placed as a guest with the user's address join the account. Called only
    once the address is verified (the account is created from the link e-mailed to it):
    registering someone else's address never shows their orders.

    With `phone` (given with the number of one of its orders: AccountCreationForm), the
    orders taken by phone for a customer without e-mail address and that exact number
    (E.164) join too: that customer has no address to verify (README, « Commandes par
    téléphone »)."""
    from django.db.models import Q
    from oscar.core.loading import get_model

    Order = get_model("order", "Order")
    taken = Q(guest_email__iexact=user.email)
    if phone:
        taken |= Q(channel=Order.Channel.PHONE, guest_email="", customer_phone=phone.as_e164)
    return Order.objects.filter(taken, user__isnull=True).update(user=user)


def phone_order_exists(phone, number):
    """An order taken by phone for a customer without e-mail, with this number and phone."""
    from oscar.core.loading import get_model

    Order = get_model("order", "Order")
    return Order.objects.filter(number=number, channel=Order.Channel.PHONE, guest_email="",
                                customer_phone=phone.as_e164, user__isnull=True).exists()


def read(token):
    """{"email", "next"} from a link e-mailed by answer(); InvalidLink when forged,
    expired, or when the address has got an account since."""
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=LINK_VALID_FOR)
    except signing.BadSignature as error:  # SignatureExpired is one
        raise InvalidLink from error
    if not isinstance(data, dict) or not isinstance(data.get("email"), str) or has_account(data["email"]):
        raise InvalidLink
    return data
