from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.documents.models import AbstractDocument, Document
from wagtail.models import Site

from townmarket.colours import validate_colour
from townmarket.storage import private_storage


class PrivateDocument(AbstractDocument):
    """Wagtail's document, kept in the private storage: no URL reaches the file itself;
    it is served by /documents/<id>/<name>, which checks the collection's privacy and
    the viewer's permissions first (WAGTAILDOCS_SERVE_METHOD = "serve_view")."""

    file = models.FileField(storage=private_storage, upload_to="documents", verbose_name=_("file"))

    admin_form_fields = Document.admin_form_fields

    class Meta(AbstractDocument.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")


class OutboxMessage(models.Model):
    """An e-mail, recorded in the same transaction as the change that causes it and
    delivered afterwards by the task worker, with retries (townmarket.outbox)."""

    PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"
    STATUSES = [(PENDING, _("À envoyer")), (SENDING, _("En cours d'envoi")), (SENT, _("Envoyé")),
                (FAILED, _("Échec"))]

    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    message_id = models.CharField(max_length=255, unique=True)
    subject = models.CharField(_("objet"), max_length=255)
    recipients = models.TextField(_("destinataires"))
    payload = models.JSONField()  # townmarket.outbox.to_payload()
    status = models.CharField(_("état"), max_length=10, choices=STATUSES, default=PENDING)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    # The town the e-mail is about (its order's, its sender's): whose association sees it
    # in « E-mails non envoyés ». None: the install's own (Wagtail's password reset…).
    town = models.ForeignKey("wagtailcore.Site", verbose_name=_("Ville"), on_delete=models.SET_NULL,
                             related_name="+", null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail envoyé")
        verbose_name_plural = _("e-mails envoyés")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.subject} → {self.recipients}"


# The demo town's identity: TownSettings' defaults, and what load_demo_town sets.
DEMO_TOWN = {
    "name": "Le marché de Val-sur-Ouche",
    "association_name": "Association des commerçants de Val-sur-Ouche",
    "association_address": "Mairie, 1 place de l'Hôtel de Ville, 21130 Val-sur-Ouche",
    "phone": "03 80 00 00 00",
    "email": "contact@example.org",
    "primary_colour": "#1f5f3a",
    "email_sender_name": "",  # empty: the town's name, whatever it becomes
    # The legal pages' details (empty for a real town until the association fills them in).
    "publication_director": "Fabienne Moreau, présidente de l'association",
    "registration_number": "RNA W212000000",
    "host_name": "Hébergement Exemple SAS",
    "host_address": "10 rue de l'Exemple, 21000 Dijon",
    "host_phone": "03 80 00 00 01",
    "mediator_name": "Médiateur de la consommation (exemple)",
    "mediator_website": "https://mediateur.example.org",
}


@register_setting(icon="home", name="identite-du-marche")
class TownSettings(BaseSiteSetting):
    """Who the town's marketplace is, per Wagtail Site: read through townmarket.town.town(),
    shown on every page (templates' `marketplace`), in e-mails and PDFs. Association staff
    edit it in the Wagtail admin (Paramètres → Identité du marché)."""

    name = models.CharField(_("nom du marché"), max_length=120, default=DEMO_TOWN["name"],
                            help_text=_("Affiché en haut de chaque page, dans les e-mails et les PDF."))
    logo = models.ForeignKey("wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", verbose_name=_("logo"),
                             help_text=_("Facultatif : affiché à côté du nom, dans l'en-tête."))
    primary_colour = models.CharField(
        _("couleur principale"), max_length=7, default=DEMO_TOWN["primary_colour"], validators=[validate_colour],
        help_text=_("L'en-tête et les boutons, écrits en blanc dessus : choisissez une couleur assez foncée."))
    association_name = models.CharField(_("nom de l'association"), max_length=160,
                                        default=DEMO_TOWN["association_name"])
    association_address = models.CharField(_("adresse postale de l'association"), max_length=255,
                                           default=DEMO_TOWN["association_address"])
    phone = models.CharField(_("téléphone"), max_length=30, default=DEMO_TOWN["phone"])
    email = models.EmailField(_("e-mail de contact"), default=DEMO_TOWN["email"],
                              help_text=_("Reçoit les demandes d'inscription des commerces."))
    email_sender_name = models.CharField(
        _("nom de l'expéditeur des e-mails"), max_length=120, blank=True, default=DEMO_TOWN["email_sender_name"],
        help_text=_("Le nom que les clients voient comme expéditeur ; vide : le nom du marché."))

    # The legal pages (townmarket.legal): what the law asks them to name. Left empty, the
    # page says « à compléter » where the value goes.
    publication_director = models.CharField(
        _("directeur ou directrice de la publication"), max_length=160, blank=True,
        help_text=_("Nom et qualité, par exemple « Marie Durand, présidente de l'association » (mentions légales)."))
    registration_number = models.CharField(
        _("numéro RNA ou SIRET de l'association"), max_length=40, blank=True)
    host_name = models.CharField(_("hébergeur du site"), max_length=160, blank=True,
                                 help_text=_("La société qui héberge le site (mentions légales)."))
    host_address = models.CharField(_("adresse de l'hébergeur"), max_length=255, blank=True)
    host_phone = models.CharField(_("téléphone de l'hébergeur"), max_length=30, blank=True)
    mediator_name = models.CharField(
        _("médiateur de la consommation"), max_length=160, blank=True,
        help_text=_("Celui auquel les commerçants ont adhéré, cité dans les conditions générales de vente."))
    mediator_website = models.URLField(_("site du médiateur"), blank=True)

    select_related = ["logo"]

    panels = [
        MultiFieldPanel([FieldPanel("name"), FieldPanel("logo"),
                         FieldPanel("primary_colour", widget=forms.TextInput(attrs={"type": "color"}))],
                        heading=_("Le marché")),
        MultiFieldPanel([FieldPanel("association_name"), FieldPanel("association_address"), FieldPanel("phone"),
                         FieldPanel("email")], heading=_("L'association")),
        MultiFieldPanel([FieldPanel("email_sender_name")], heading=_("E-mails")),
        MultiFieldPanel([FieldPanel("registration_number"), FieldPanel("publication_director"),
                         FieldPanel("host_name"), FieldPanel("host_address"), FieldPanel("host_phone"),
                         FieldPanel("mediator_name"), FieldPanel("mediator_website")],
                        heading=_("Pages légales"),
                        help_text=_("Elles remplissent les pages légales à l'affichage, là où leur texte porte : "
                                    "{marche}, {association}, {adresse_association}, {telephone_association}, "
                                    "{email_association}, {numero_association}, {directeur_publication}, "
                                    "{hebergeur}, {adresse_hebergeur}, {telephone_hebergeur}, {mediateur}, "
                                    "{site_mediateur}, {adresse_du_site}."))
    ]

    class Meta:
        verbose_name = _("identité du marché")
        verbose_name_plural = _("identité du marché")

    def save(self, *args, **kwargs):
        self.primary_colour = (self.primary_colour or "").lower()
        super().save(*args, **kwargs)
        # Wagtail's admin names the site after it (dashboard, explorer).
        Site.objects.filter(pk=self.site_id).exclude(site_name=self.name).update(site_name=self.name)

    @property
    def sender_name(self):
        return self.email_sender_name or self.name
