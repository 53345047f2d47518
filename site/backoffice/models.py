from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from townmarket.sites import default_town_id


class BackOffice(models.Model):
    """No table: holds the marketplace-wide permissions given to roles."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("manage_all_shops", _("Gère les produits et vitrines de tous les commerces")),
            ("view_marketplace_sales", _("Voit les ventes et commandes de tout le marché")),
            ("view_site_reports", _("Voit les rapports, les workflows et l'usage des types de page de Wagtail")),
        ]


class ShopTeam(models.Model):
    """The Django group of a shop's merchants (with the merchant permissions)."""

    partner = models.OneToOneField("partner.Partner", on_delete=models.CASCADE, related_name="team")
    group = models.OneToOneField("auth.Group", on_delete=models.CASCADE, related_name="shop_team")

    class Meta:
        verbose_name = _("équipe d'un commerce")

    def __str__(self):
        return self.group.name


class ShopApplication(models.Model):
    """A shop asking to join the marketplace (public form « Inscrire mon commerce »)."""

    class Status(models.TextChoices):
        PENDING = "en_attente", _("En attente")
        APPROVED = "acceptee", _("Acceptée")
        REJECTED = "refusee", _("Refusée")

    town = models.ForeignKey("wagtailcore.Site", verbose_name=_("Ville"), on_delete=models.CASCADE,
                             related_name="+", default=default_town_id)
    shop_name = models.CharField(_("Nom du commerce"), max_length=120)
    kind = models.ForeignKey("shops_pages.ShopKind", null=True, on_delete=models.SET_NULL, verbose_name=_("Type de commerce"))
    siret = models.CharField(_("SIRET"), max_length=14)
    street = models.CharField(_("Adresse"), max_length=255)
    postcode = models.CharField(_("Code postal"), max_length=5)
    city = models.CharField(_("Commune"), max_length=100)
    contact_name = models.CharField(_("Nom du contact"), max_length=120)
    phone = PhoneNumberField(_("Téléphone"))
    email = models.EmailField(_("E-mail"))
    message = models.TextField(_("Message"), blank=True, max_length=4000)
    status = models.CharField(_("Statut"), max_length=20, choices=Status.choices, default=Status.PENDING)
    rejection_reason = models.TextField(_("Motif du refus"), blank=True)
    submitted_at = models.DateTimeField(_("Reçue le"), auto_now_add=True)
    decided_at = models.DateTimeField(_("Décision le"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("Décision par"))
    shop_page = models.ForeignKey("shops_pages.ShopPage", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("Vitrine créée"))

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("demande d'inscription")
        verbose_name_plural = _("demandes d'inscription")

    def __str__(self):
        return self.shop_name


class TownTeam(models.Model):
    """A town's role group: its « Association » or its « Bénévoles » (the default town's
    keep those names; another town's are « Association · <nom> », « Bénévoles · <nom> »).
    `roles.staffed_towns(user)` reads it: a member works for that town only."""

    class Role(models.TextChoices):
        ASSOCIATION = "association", _("Association")
        VOLUNTEERS = "benevoles", _("Bénévoles")

    group = models.OneToOneField("auth.Group", on_delete=models.CASCADE, related_name="town_team")
    town = models.ForeignKey("wagtailcore.Site", verbose_name=_("Ville"), on_delete=models.CASCADE, related_name="teams")
    role = models.CharField(_("Rôle"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("équipe d'une ville")
        constraints = [models.UniqueConstraint(fields=["town", "role"], name="one_team_per_town_and_role")]

    def __str__(self):
        return self.group.name
