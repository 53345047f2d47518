"""Wagtail's Users pages (/admin/users/), with one e-mail address per account.
settings.INSTALLED_APPS lists townmarket.wagtail_users_app.UsersAppConfig in place of
"wagtail.users" (Wagtail's documented way to customise the user forms)."""
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Q
from django.http import Http404
from django.utils.functional import cached_property
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views import users as wagtail_users
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from .accounts import EMAIL_TAKEN, email_taken_by_another


class UniqueEmailMixin:
    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if email_taken_by_another(email, self.instance):
            raise forms.ValidationError(EMAIL_TAKEN)
        return email


class UniqueEmailUserCreationForm(UniqueEmailMixin, UserCreationForm):
    pass


class UniqueEmailUserEditForm(UniqueEmailMixin, UserEditForm):
    pass


def users_seen_by(staff):
    """The accounts `staff` may list and edit in Wagtail's Users pages. A superuser (the
    platform administrator): all; anybody else on an install of one town: all but the
    superusers. A town's staff:
    the members of their towns' groups (association, volunteers, shops), their towns'
    merchants, the plain customers (no group, shop, permission or staff flag) who ordered there,
    and themselves; never an account with a group of another town, nor a superuser (a
    customer who also works elsewhere is not theirs to edit)."""
    from oscar.core.loading import get_model

    from backoffice import roles

    User = get_user_model()
    if staff.is_superuser:
        return User.objects.all()
    if not roles.several_towns(staff):
        return User.objects.filter(is_superuser=False)
    towns = roles.staffed_towns(staff)
    Order = get_model("order", "Order")
    Partner = get_model("partner", "Partner")
    merchants = Partner.users.through.objects.filter(partner__town__in=towns).values("user_id")
    customers = User.objects.filter(is_staff=False, is_superuser=False, groups=None, user_permissions=None).exclude(
        pk__in=Partner.users.through.objects.values("user_id")).filter(
        pk__in=roles.town_orders(staff, Order.objects.exclude(user=None)).values("user_id"))
    theirs = User.objects.filter(Q(groups__town_team__town__in=towns) | Q(groups__shop_team__partner__town__in=towns)
                                 | Q(pk__in=merchants) | Q(pk__in=customers.values("pk")))
    elsewhere = User.objects.filter(
        Q(is_superuser=True)
        | Q(pk__in=User.groups.through.objects.exclude(group__in=groups_given_by(staff)).values("user_id"))
        | Q(pk__in=Partner.users.through.objects.exclude(partner__town__in=towns).values("user_id")))
    return User.objects.filter(Q(pk=staff.pk) | Q(pk__in=theirs.values("pk")) & ~Q(pk__in=elsewhere.values("pk")))


def groups_given_by(staff):
    """The groups `staff` may give or take away: a superuser, or on an install of one
    town, all; a town's staff, their towns' role groups and their towns' shops' groups."""
    from backoffice import roles

    if staff.is_superuser or not roles.several_towns(staff):
        return Group.objects.all()
    towns = roles.staffed_towns(staff)
    return Group.objects.filter(Q(town_team__town__in=towns) | Q(shop_team__partner__town__in=towns))


class TownUsersMixin:
    """A town's staff see, edit and delete only the accounts of their towns (another's:
    404), and give only their towns' groups, keeping the groups they may not touch; only
    a superuser makes a superuser."""

    def get_object(self, *args, **kwargs):
        user = super().get_object(*args, **kwargs)
        if not users_seen_by(self.request.user).filter(pk=user.pk).exists():
            raise Http404
        return user

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if not self.request.user.is_superuser:  # « Administrateur »: every town, every screen
            form.fields.pop("is_superuser", None)
        if "groups" in form.fields:
            form.fields["groups"].queryset = groups_given_by(self.request.user)
        return form

    def save_instance(self):
        kept = []
        if getattr(self.object, "pk", None):
            kept = list(self.object.groups.exclude(pk__in=groups_given_by(self.request.user).values("pk")))
        instance = super().save_instance()
        if kept:
            instance.groups.add(*kept)
        return instance


class IndexView(wagtail_users.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset() & users_seen_by(self.request.user)

    @cached_property
    def filters(self):
        """Wagtail's filters, the group filter offering only the groups of one's towns."""
        filterset = super().filters
        if filterset is not None and "group" in filterset.form.fields:
            filterset.form.fields["group"].queryset = groups_given_by(self.request.user)
        return filterset


class CreateView(TownUsersMixin, wagtail_users.CreateView):
    pass


class EditView(TownUsersMixin, wagtail_users.EditView):
    pass


class DeleteView(TownUsersMixin, wagtail_users.DeleteView):
    pass


class HistoryView(TownUsersMixin, wagtail_users.HistoryView):
    pass


class UserViewSet(WagtailUserViewSet):
    index_view_class = IndexView
    add_view_class = CreateView
    edit_view_class = EditView
    delete_view_class = DeleteView
    history_view_class = HistoryView

    def get_form_class(self, for_update=False):
        return UniqueEmailUserEditForm if for_update else UniqueEmailUserCreationForm
