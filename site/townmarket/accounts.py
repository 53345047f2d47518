"""Rules every form that sets a user's e-mail address shares (the shop's profile,
the admin's account page): one address, one account."""
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

EMAIL_TAKEN = _("Cette adresse e-mail est déjà celle d’un autre compte.")


def email_taken_by_another(email, user):
    """Whether an account other than `user` has `email`, whatever the letter case."""
    return get_user_model()._default_manager.filter(email__iexact=email.strip()).exclude(pk=user.pk).exists()
