"""Wagtail's rich-text editor (Draftail) for every editor of the admin
(WAGTAILADMIN_RICH_TEXT_EDITORS), refusing a submission it cannot decode."""
from django.core.exceptions import BadRequest
from django.utils.translation import gettext as _
from wagtail.admin.rich_text import DraftailRichTextArea


class DraftailEditor(DraftailRichTextArea):
    """Draftail sends its content as JSON; a forged value nested thousands of levels
    deep makes the JSON decoder raise RecursionError (a server error in Wagtail).
    Such a request gets a 400 page instead: the browser's editor never sends one."""

    def value_from_datadict(self, data, files, name):
        try:
            return super().value_from_datadict(data, files, name)
        except RecursionError:
            raise BadRequest(_("Le texte envoyé n'a pas pu être lu ; saisissez-le à nouveau."))
