"""{% town_placeholders %}…{% endtown_placeholders %}: the enclosed HTML with the town's
values in place of {association}, {hebergeur}… (townmarket.legal.PLACEHOLDERS)."""
from django import template

from townmarket import legal
from townmarket.town import town

register = template.Library()


@register.tag
def town_placeholders(parser, token):
    nodelist = parser.parse(("endtown_placeholders",))
    parser.delete_first_token()
    return PlaceholdersNode(nodelist)


class PlaceholdersNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        request = context.get("request")
        identity = context.get("marketplace") or town(request)
        return legal.fill_placeholders(self.nodelist.render(context), identity, request)
