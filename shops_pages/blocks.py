from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Légende"), required=False)
    alt_text = blocks.CharBlock(
        label=_("Texte alternatif"), required=False,
        help_text=_("Décrit l'image pour les personnes qui ne la voient pas."),
    )

    class Meta:
        icon = "image"
        template = "blocks/image_block.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Citation"))
    attribute_name = blocks.CharBlock(label=_("Auteur"), required=False)

    class Meta:
        icon = "openquote"
        template = "blocks/quote_block.html"


class GalleryBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titre"), required=False)
    images = blocks.ListBlock(ImageBlock(), label=_("Images"))

    class Meta:
        icon = "image"
        template = "blocks/gallery_block.html"


class BaseStreamBlock(blocks.StreamBlock):
    """The body shared by every editorial page (bakerydemo's pattern)."""

    heading = blocks.CharBlock(label=_("Intertitre"), form_classname="title", icon="title",
                               template="blocks/heading_block.html")
    paragraph = blocks.RichTextBlock(label=_("Texte"), icon="pilcrow",
                                     features=["bold", "italic", "link", "ol", "ul"])
    image = ImageBlock(label=_("Image"))
    gallery = GalleryBlock(label=_("Galerie"))
    quote = QuoteBlock(label=_("Citation"))


class ServiceBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("Prestation"))
    description = blocks.TextBlock(label=_("Description"), required=False)
    price = blocks.DecimalBlock(label=_("Prix TTC (€)"), required=False, min_value=0, decimal_places=2)

    class Meta:
        icon = "tag"
        template = "blocks/service_block.html"
