from django.shortcuts import get_object_or_404, redirect, render

from vrijuit.networks.models import Network


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


def accessibility(request):
    return render(request, "public/accessibility.html")
