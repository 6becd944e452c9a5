from django.http import Http404
from django.urls import path


def _disabled(request):
    raise Http404


urlpatterns = [path("inbox/", _disabled, name="dev_inbox")]
