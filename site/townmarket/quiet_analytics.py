"""Oscar's analytics app without its receivers: they wrote on every product page seen
(a counter UPDATE, and for a signed-in customer a row per view and per search), so a
busy product was one hot row shared by every visitor, and each customer's browsing was
kept as personal data that nothing here reads. The app stays installed: Oscar's models
and migrations refer to it."""
from oscar.apps.analytics.apps import AnalyticsConfig


class QuietAnalyticsConfig(AnalyticsConfig):
    def ready(self):
        """Nothing to connect: views, searches and purchases are not counted."""
