from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from vrijuit.catalogue import selectors
from vrijuit.catalogue.constants import Category
from vrijuit.catalogue.pricing import activity_price
from vrijuit.networks.models import Network

from .forms import GuideFilterForm

GUIDE_PAGE_SIZE = 20


def index(request):
    networks = list(Network.objects.only("slug", "name"))
    if len(networks) == 1:
        return redirect("public:network", network=networks[0].slug)
    return render(request, "public/index.html", {"networks": networks})


def network_home(request, network):
    network = get_object_or_404(Network, slug=network)
    return render(
        request,
        "public/network.html",
        {
            "network": network,
            "municipalities": network.municipalities.all(),
            "partners": network.partners.filter(is_active=True),
        },
    )


def _with_price(activity, network):
    activity.price = activity_price(activity, network)
    return activity


def guide(request, network):
    """The public guide: coming activities, with search and filters (works without JS)."""
    network = get_object_or_404(Network, slug=network)
    form = GuideFilterForm(request.GET or None, network=network)
    activities = selectors.guide_search(network, **form.filters())
    page = Paginator(activities, GUIDE_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "public/guide.html",
        {
            "network": network,
            "form": form,
            "page": page,
            "activities": [_with_price(a, network) for a in page],
            # More match than the count says (the guide counts up to a thousand).
            "more": activities.more,
            "query": query.urlencode(),
            # The kind of activity searched for has its own calendar feed.
            "feed_category": Category(form.cleaned_data["category"])
            if form.is_valid() and form.cleaned_data.get("category")
            else None,
        },
    )


def guide_activity(request, network, activity_id):
    """One activity: description, dates, how to get there, accessibility, contact."""
    network = get_object_or_404(Network, slug=network)
    activity = selectors.guide_activity_get(network, activity_id)
    if activity is None:
        raise Http404
    return render(
        request,
        "public/activity.html",
        {"network": network, "activity": _with_price(activity, network)},
    )


def accessibility(request):
    return render(request, "public/accessibility.html")
