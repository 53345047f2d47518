from oscar.apps.basket.abstract_models import AbstractLine

from townmarket import extensions


class Line(AbstractLine):
    """Oscar's basket line; its description may come from a plugin (LINE_DESCRIPTIONS:
    « Carte cadeau de 30,00 € pour Paul Ami, envoyée le 1er décembre »)."""

    @property
    def description(self):
        return extensions.line_description(self) or super().description


from oscar.apps.basket.models import *  # noqa: E402,F401,F403
