"""A product description as the storefront shows it: the HTML that merchants' editor
produces (paragraphs, bold, italic, lists) and nothing else, whoever wrote it (the
back-office editor, a spreadsheet import, Oscar's dashboard, older data)."""
from django.utils.safestring import mark_safe
from wagtail.whitelist import Whitelister, allow_without_attributes

# Elements dropped with everything inside them, not just unwrapped to their text.
DROPPED_WITH_CONTENT = {"script", "style", "template", "iframe", "object", "embed", "noscript", "svg", "math"}


class DescriptionWhitelister(Whitelister):
    element_rules = {
        "[document]": allow_without_attributes,
        **{name: allow_without_attributes for name in ("p", "br", "b", "strong", "i", "em", "ol", "ul", "li")},
    }

    def clean_tag_node(self, doc, tag):
        if tag.name in DROPPED_WITH_CONTENT:
            tag.decompose()
            return
        super().clean_tag_node(doc, tag)


def description_html(html):
    """Safe to print unescaped: unknown elements are unwrapped, attributes removed."""
    return mark_safe(DescriptionWhitelister().clean(html or ""))  # noqa: S308  whitelisted just above
