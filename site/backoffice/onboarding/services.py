"""Accepting or refusing a shop's application."""
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from backoffice.models import ShopApplication
from townmarket.absolute_urls import absolute_url
from townmarket.mail import send_templated
from townmarket.town import town
from backoffice.roles import add_merchant, ensure_town_roles
from shops_pages.models import ShopIndexPage, ShopPage
from shops_pages.shops import create_shop
from shops_pages.skeleton import add_shop_directory

Partner = get_model("partner", "Partner")
INVITATION_SALT = "backoffice.onboarding.invitation"


class ApplicationAlreadyDecided(Exception):
    pass


def _locked_pending(application):
    locked = ShopApplication.objects.select_for_update().get(pk=application.pk)
    if locked.status != ShopApplication.Status.PENDING:
        raise ApplicationAlreadyDecided(_("Cette demande a déjà été traitée (%(status)s).") % {"status": locked.get_status_display()})
    return locked


def free_slug(name):
    base = slugify(name)[:60] or "commerce"
    slug, number = base, 2
    while ShopPage.objects.filter(slug=slug).exists() or Partner.objects.filter(code=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def existing_account(email):
    return get_user_model().objects.filter(email__iexact=email.strip()).first()


def new_merchant_account(application):
    """An account nobody can sign in to until the invitation link sets its password."""
    User = get_user_model()
    email = application.email.lower()
    first_name, _, last_name = application.contact_name.strip().partition(" ")
    user = User(username=email[:150], email=email, first_name=first_name[:150], last_name=last_name[:150])
    user.set_unusable_password()
    user.save()
    return user


def carry_legal_identity(partner, application):
    """The seller's identity as the application gave it (the SIRET's check digits were
    verified by its form); the merchant completes it (legal form, VAT number) in the
    back office's « Identité légale »."""
    partner.legal_name = application.shop_name
    partner.siret = application.siret
    partner.legal_street, partner.legal_postcode, partner.legal_city = (
        application.street, application.postcode, application.city)
    partner.save(update_fields=["legal_name", "siret", "legal_street", "legal_postcode", "legal_city"])


@dataclass
class Approval:
    application: ShopApplication
    awaits_acceptance: bool  # an account already had the address: its holder must accept


@transaction.atomic
def approve(application, by, request):
    """Create the shop (Partner + draft vitrine), then invite the merchant by e-mail,
    with links to the host `request` came to.

    The application was typed on a public form by anyone, so its e-mail address proves
    nothing: a new account gets merchant rights at once, since only the mailbox's owner
    can set its password from the link; an account that already has the address gets
    none until its holder, signed in to it, accepts the invitation sent to the mailbox
    (accept_invitation)."""
    application = _locked_pending(application)
    home = application.town.root_page
    shop_index = ShopIndexPage.objects.descendant_of(home).first()
    if shop_index is None:  # the town's own directory, never another town's
        shop_index = add_shop_directory(home)
        ensure_town_roles(application.town, shops=False)  # its volunteers' rights on the new directory
    page = create_shop(
        shop_index, name=application.shop_name, slug=free_slug(application.shop_name), live=False,
        kind=application.kind, street=application.street, postcode=application.postcode, city=application.city,
        phone=application.phone.as_national if application.phone else "", email=application.email,
        introduction=application.message[:500],
    )
    if page.partner.town_id != application.town_id:  # the shop sells in the town it applied to
        page.partner.town_id = application.town_id
        page.partner.save(update_fields=["town"])
    page.save_revision(user=by, log_action=True)
    carry_legal_identity(page.partner, application)
    user = existing_account(application.email)
    awaits_acceptance = user is not None
    if not awaits_acceptance:
        user = new_merchant_account(application)
        add_merchant(page.partner, user)
    application.status = ShopApplication.Status.APPROVED
    application.decided_at = timezone.now()
    application.decided_by = by
    application.shop_page = page
    application.save()
    send_invitation(request, application, user, awaits_acceptance)  # into the outbox, with the approval
    return Approval(application, awaits_acceptance)


@transaction.atomic
def reject(application, by, reason):
    application = _locked_pending(application)
    application.status = ShopApplication.Status.REJECTED
    application.rejection_reason = reason
    application.decided_at = timezone.now()
    application.decided_by = by
    application.save()
    _send(application, "rejected", {"reason": reason})  # into the outbox, with the decision
    return application


def password_url(request, user):
    path = reverse("wagtailadmin_password_reset_confirm", args=[
        urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)])
    return absolute_url(path, request)


def invitation_token(application, user):
    return signing.dumps({"application": application.pk, "user": user.pk, "email": user.email.lower()},
                         salt=INVITATION_SALT)


def send_invitation(request, application, user, awaits_acceptance):
    if awaits_acceptance:
        links = {"accept_url": absolute_url(reverse("shop_invitation", args=[invitation_token(application, user)]),
                                            request)}
    else:
        links = {"password_url": password_url(request, user)}
    _send(application, "approved", {"user": user, "awaits_acceptance": awaits_acceptance, **links},
          to=user.email)  # the account's own address: the link is for its mailbox


class InvalidInvitation(Exception):
    pass


class InvitationForAnotherAccount(Exception):
    pass


def read_invitation(token):
    """The approved application an invitation link is for, and the data it carries."""
    try:
        data = signing.loads(token, salt=INVITATION_SALT, max_age=settings.PASSWORD_RESET_TIMEOUT)
        application = ShopApplication.objects.select_related("shop_page__partner").get(
            pk=data["application"], status=ShopApplication.Status.APPROVED, shop_page__isnull=False)
    except (signing.BadSignature, ShopApplication.DoesNotExist, KeyError, TypeError, ValueError) as error:
        raise InvalidInvitation from error
    return application, data


def accept_invitation(token, user):
    """Make `user` a merchant of the invitation's shop, if the invitation was sent to
    this very account (same account, same address as when it was sent)."""
    application, data = read_invitation(token)
    if user.pk != data.get("user") or user.email.lower() != data.get("email"):
        raise InvitationForAnotherAccount
    add_merchant(application.shop_page.partner, user)
    return application


def notify_staff_of(application, request=None):
    review_url = absolute_url(reverse("backoffice_application", args=[application.pk]), request)
    marketplace = town(site=application.town)
    send_templated("backoffice/emails/application_received_staff",
                   {"application": application, "review_url": review_url, "marketplace": marketplace},
                   [marketplace.email])
    _send(application, "received", {})


def _send(application, kind, extra, to=None):
    context = {"application": application, "marketplace": town(site=application.town), **extra}  # its town's name
    send_templated(f"backoffice/emails/application_{kind}", context, [to or application.email])
