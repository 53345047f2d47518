from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem as LinkMenuItemComponent


class BackOfficeMenuItem(MenuItem):
    """A menu entry shown when `shown(user)`; with `waiting(user)`, its label tells
    how many things wait (« Commandes (3) »)."""

    def __init__(self, label, url, shown, waiting=None, **kwargs):
        super().__init__(label, url, **kwargs)
        self.shown = shown
        self.waiting = waiting

    def is_shown(self, request):
        return self.shown(request.user)

    def get_url(self, request):
        return self.url

    def render_component(self, request):
        waiting = self.waiting(request.user) if self.waiting else 0
        label = f"{self.label} ({waiting})" if waiting else self.label
        return LinkMenuItemComponent(self.name, label, self.get_url(request), icon_name=self.icon_name,
                                     classname=self.classname, attrs=self.attrs)
