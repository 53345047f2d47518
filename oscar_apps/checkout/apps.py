from django.urls import path
from django.views.generic import RedirectView
from oscar.apps.checkout import apps


class CheckoutConfig(apps.CheckoutConfig):
    """A one-page checkout: contact, per-shop fulfilment and payment on one form
    (easier for customers not at ease online than Oscar's five steps)."""

    name = "oscar_apps.checkout"

    def ready(self):
        super().ready()
        from . import builtin_methods  # noqa: F401  registers click & collect, pay at pickup

    def get_urls(self):
        to_index = RedirectView.as_view(pattern_name="checkout:index", permanent=False)
        urls = [
            path("", self.index_view.as_view(), name="index"),
            path("merci/", self.thankyou_view.as_view(), name="thank-you"),
        ]
        # Oscar's templates still reverse the names of its multi-step flow.
        for name in ["shipping-address", "shipping-method", "payment-method", "payment-details", "preview"]:
            urls.append(path(f"{name}/", to_index, name=name))
        return self.post_process_urls(urls)
