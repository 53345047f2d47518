"""Staff edit the Wagtail pages of the marketplace and see orders in Oscar's dashboard."""
import pytest

from shops_pages.models import HomePage

pytestmark = pytest.mark.django_db


def test_staff_open_every_page_editor(admin_client, town):
    home = HomePage.objects.get()
    for page in [home, town["cheese"], town["cheese"].get_parent()]:
        response = admin_client.get(f"/admin/pages/{page.pk}/edit/")
        assert response.status_code == 200, page
    assert "Horaires d" in admin_client.get(f"/admin/pages/{town['cheese'].pk}/edit/").content.decode()


def test_a_customer_cannot_reach_the_back_office(client, town, django_user_model):
    user = django_user_model.objects.create_user("client", "client@example.org", "pw-secret-123")
    client.force_login(user)
    assert client.get("/admin/").status_code in (302, 403)
    assert client.get("/boutique/dashboard/").status_code in (302, 403)
