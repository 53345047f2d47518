"""« Prendre une commande par téléphone »: staff type in the order of a customer who
phones, placed through the checkout's own placement (oscar_apps.checkout.views)."""
