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
