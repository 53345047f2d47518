from django.conf import settings


def marketplace(request):
    return {"marketplace": settings.MARKETPLACE}
