"""Accepting or refusing a shop's application."""
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from backoffice.models import ShopApplication
from townmarket.mail import send_templated
from backoffice.roles import add_merchant
from shops_pages.models import ShopIndexPage, ShopPage
from shops_pages.shops import create_shop

Partner = get_model("partner", "Partner")


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


def merchant_user(application):
    User = get_user_model()
    email = application.email.lower()
    user = User.objects.filter(email__iexact=email).first()
    if user:
        return user, False
    first_name, _, last_name = application.contact_name.strip().partition(" ")
    user = User(username=email[:150], email=email, first_name=first_name[:150], last_name=last_name[:150])
    user.set_unusable_password()
    user.save()
    return user, True


@transaction.atomic
def approve(application, by):
    """Create the shop (Partner + draft vitrine) and its merchant account, then
    e-mail the merchant a link to choose a password."""
    application = _locked_pending(application)
    shop_index = ShopIndexPage.objects.first()
    page = create_shop(
        shop_index, name=application.shop_name, slug=free_slug(application.shop_name), live=False,
        kind=application.kind, street=application.street, postcode=application.postcode, city=application.city,
        phone=application.phone.as_national if application.phone else "", email=application.email,
        introduction=application.message[:500],
    )
    page.save_revision(user=by, log_action=True)
    user, created = merchant_user(application)
    add_merchant(page.partner, user)
    application.status = ShopApplication.Status.APPROVED
    application.decided_at = timezone.now()
    application.decided_by = by
    application.shop_page = page
    application.save()
    transaction.on_commit(lambda: send_invitation(application, user, created))
    return application


@transaction.atomic
def reject(application, by, reason):
    application = _locked_pending(application)
    application.status = ShopApplication.Status.REJECTED
    application.rejection_reason = reason
    application.decided_at = timezone.now()
    application.decided_by = by
    application.save()
    transaction.on_commit(lambda: _send(application, "rejected", {"reason": reason}))
    return application


def invitation_url(user):
    path = reverse("wagtailadmin_password_reset_confirm", args=[
        urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def send_invitation(application, user, new_account):
    _send(application, "approved", {
        "user": user, "new_account": new_account, "password_url": invitation_url(user),
        "login_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("wagtailadmin_login"),
    })


def notify_staff_of(application):
    review_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("backoffice_application", args=[application.pk])
    send_templated("backoffice/emails/application_received_staff", {"application": application, "review_url": review_url},
                   [settings.MARKETPLACE["email"]])
    _send(application, "received", {})


def _send(application, kind, extra):
    context = {"application": application, "marketplace": settings.MARKETPLACE, **extra}
    send_templated(f"backoffice/emails/application_{kind}", context, [application.email])
