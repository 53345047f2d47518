from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.documents.models import AbstractDocument, Document

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

    class Meta:
        verbose_name = _("e-mail envoyé")
        verbose_name_plural = _("e-mails envoyés")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.subject} → {self.recipients}"
