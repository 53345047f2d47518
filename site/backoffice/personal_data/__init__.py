"""« Données personnelles »: association staff find a guest's orders (no account) by
e-mail or phone, export them and erase them (townmarket.personal_data), as a guest
asks the association. Merchants and volunteers cannot open it."""
