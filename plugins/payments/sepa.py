"""The SEPA credit transfer file (pain.001.001.03, what French banks take) paying each
shop what the settlement says the association owes it for a period, written and
checked against the standard's schema by `sepaxml`.

Only shops owed a positive balance are paid; a shop without bank details is left
out (the settlement page names it), as is one that owes the association (the balance
is negative: the treasurer asks it for the money)."""
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from sepaxml import SepaTransfer

from townmarket.town import town

from .models import PayoutSettings, ShopPayoutAccount
from .money import cents

ZERO = Decimal("0.00")


@dataclass
class TransferPlan:
    """Who the file pays, who it leaves out and why, for settlement rows of a period."""

    start: object
    end: object
    debtor: PayoutSettings
    debtor_name: str
    transfers: list = field(default_factory=list)  # [(ShopSettlement, ShopPayoutAccount)]
    without_account: list = field(default_factory=list)  # [ShopSettlement] owed money, no IBAN
    owing: list = field(default_factory=list)  # [ShopSettlement] whose balance is negative
    unknown_fees: int = 0

    @property
    def total(self):
        return sum((row.due for row, _account in self.transfers), ZERO)

    @property
    def refusal(self):
        """Why no file can be made now (French), or None."""
        if not self.debtor.iban:
            return _("L'IBAN de l'association n'est pas renseigné : ajoutez-le dans Paramètres › Virements aux "
                     "commerces.")
        if self.unknown_fees:
            return _("Des frais Stripe de la période ne sont pas encore connus : le fichier de virements sera "
                     "disponible quand ils le seront (dans quelques minutes).")
        if not self.transfers:
            return _("Aucun virement à faire sur cette période.")
        return None


def plan(rows, start, end, request=None, site=None):
    """The transfers of one town's association (`site`, else the request's town) to its shops."""
    debtor = PayoutSettings.for_town(request, site=site)
    accounts = {account.partner_id: account
                for account in ShopPayoutAccount.objects.filter(partner__in=[row.partner for row in rows])}
    found = TransferPlan(start, end, debtor, debtor.holder or town(request, site=site).association_name,
                         unknown_fees=sum(row.unknown_fees for row in rows))
    for row in rows:
        if row.due < ZERO:
            found.owing.append(row)
        elif row.due > ZERO:
            account = accounts.get(row.partner.pk)
            if account is None:
                found.without_account.append(row)
            else:
                found.transfers.append((row, account))
    return found


def transfer_file(found, execution_date=None):
    """The file's bytes (UTF-8 XML), checked against the pain.001.001.03 schema."""
    config = {"name": found.debtor_name, "IBAN": found.debtor.iban, "batch": True, "currency": "EUR"}
    if found.debtor.bic:
        config["BIC"] = found.debtor.bic
    transfer = SepaTransfer(config, schema="pain.001.001.03", clean=True)
    label = _("Ventes du %(start)s au %(end)s") % {"start": f"{found.start:%d/%m/%Y}", "end": f"{found.end:%d/%m/%Y}"}
    for row, account in found.transfers:
        payment = {
            "name": account.holder, "IBAN": account.iban, "amount": cents(row.due),
            "execution_date": execution_date or timezone.localdate(),
            "description": f"{label} - {found.debtor_name}",
            "endtoend_id": f"MARCHE-{found.end:%Y%m%d}-{row.partner.pk}",
        }
        if account.bic:
            payment["BIC"] = account.bic
        transfer.add_payment(payment)
    return transfer.export(validate=True)
