import oscar.apps.customer.apps as apps
from django.contrib.auth.decorators import login_required
from django.urls import path
from oscar.core.loading import get_class


class CustomerConfig(apps.CustomerConfig):
    """Oscar's customer app; registration confirms the address by e-mail before any
    account exists, so the form never tells whether an address has an account."""

    name = 'oscar_apps.customer'

    def ready(self):
        super().ready()
        self.register_check_inbox_view = get_class("customer.views", "RegistrationCheckInboxView")
        self.register_confirm_view = get_class("customer.views", "RegistrationConfirmView")
        self.order_tracking_view = get_class("customer.views", "OrderTrackingView")
        self.personal_data_view = get_class("customer.views", "PersonalDataView")
        self.personal_data_download_view = get_class("customer.views", "PersonalDataDownloadView")

    def get_urls(self):
        return super().get_urls() + self.post_process_urls([
            path("inscription/verifiez-vos-e-mails/", self.register_check_inbox_view.as_view(),
                 name="register-check-inbox"),
            path("inscription/<str:token>/", self.register_confirm_view.as_view(), name="register-confirm"),
            path("suivi/<str:token>/", self.order_tracking_view.as_view(), name="order-tracking"),
            path("mes-donnees/", login_required(self.personal_data_view.as_view()), name="personal-data"),
            path("mes-donnees/telecharger/", login_required(self.personal_data_download_view.as_view()),
                 name="personal-data-download"),
        ])
