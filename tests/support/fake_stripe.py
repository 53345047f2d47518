"""A local stand-in for Stripe's API and hosted payment page, for the tests.

The real `stripe` library talks to it over HTTP on 127.0.0.1 (STRIPE_API_BASE). It
implements what the payments plugin calls (Checkout Sessions: create, retrieve, list
by creation time, expire; refunds; retrieving payment intents, charges and balance
transactions, with `expand` as Stripe reads it),
honours idempotency keys as Stripe does (same key, same answer), checks the secret
key, and signs webhook events the way Stripe does (HMAC-SHA256 of "t.payload").
The hosted page takes a card number: 4000 0000 0000 0002 is declined, any other
pays. Tests can slow it down (timeouts), make the next call fail, make it answer 503
to everything (`unavailable`), or run `on_request` when a call arrives.

A paid session books a charge and its balance transaction with Stripe's fee, computed
like Stripe's standard pricing for European cards: `fee_percent` (1.5 %) of the amount,
to the nearest cent, plus `fee_fixed_cents` (25)."""
import hashlib
import hmac
import html
import itertools
import json
import threading
import time
import urllib.error
import urllib.request
from decimal import ROUND_HALF_UP, Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

DECLINED_CARD = "4000000000000002"


def sign(payload, secret, timestamp=None):
    """The Stripe-Signature header for `payload` (bytes)."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    signed = f"{timestamp}.".encode() + payload
    return f"t={timestamp},v1={hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()}"


def nested(pairs):
    """Stripe's form encoding (a[b][0][c]=1) back to dicts and lists."""
    root = {}
    for key, value in pairs:
        parts = key.replace("]", "").split("[")
        node = root
        for part, following in zip(parts, parts[1:]):
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return _lists(root)


def _lists(node):
    if isinstance(node, dict):
        if node and all(key.isdigit() for key in node):
            return [_lists(node[key]) for key in sorted(node, key=int)]
        return {key: _lists(value) for key, value in node.items()}
    return node


class StripeError(Exception):
    def __init__(self, status, type_, message, code=None):
        super().__init__(message)
        self.status, self.body = status, {"error": {"type": type_, "message": message, "code": code}}


class FakeStripe:
    def __init__(self, api_key="sk_test_fake_4eC39HqLyjWDarjtT1zdp7dc", webhook_secret="whsec_test_fake_secret"):
        self.api_key, self.webhook_secret = api_key, webhook_secret
        self.webhook_url = None  # where the hosted page delivers events (browser tests)
        self.sessions, self.intents, self.refunds = {}, {}, {}
        self.charges, self.balance_transactions = {}, {}
        self.fee_percent, self.fee_fixed_cents = Decimal("1.5"), 25  # European cards
        self.requests = []  # every API call: method, path, params, idempotency_key, authorization
        self.deliveries = []  # (event type, HTTP status of the webhook)
        self.delay = 0.0  # seconds before answering API calls
        self.unavailable = False  # every API call answered 503, as during an outage
        self.on_request = None  # called (no argument) as each API call arrives
        self.failures = []  # (path prefix, StripeError) for the next matching calls
        self._answers = {}  # idempotency key → (status, body)
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._server = None

    # -- life -----------------------------------------------------------------------------
    def start(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                fake._handle(self, "GET")

            def do_POST(self):
                fake._handle(self, "POST")

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    @property
    def url(self):
        host, port = self._server.server_address
        return f"http://{host}:{port}"

    def fail_next(self, path_prefix, status=500, type_="api_error", message="Erreur interne", code=None):
        self.failures.append((path_prefix, StripeError(status, type_, message, code)))

    def calls(self, method, path_prefix):
        return [r for r in self.requests if r["method"] == method and r["path"].startswith(path_prefix)]

    # -- events ---------------------------------------------------------------------------
    def event(self, type_, obj):
        return {"id": f"evt_{next(self._ids):06d}", "object": "event", "type": type_, "created": int(time.time()),
                "livemode": False, "api_version": "2025-01-01", "data": {"object": json.loads(json.dumps(obj))}}

    def signed(self, event, secret=None, timestamp=None):
        payload = json.dumps(event).encode()
        return payload, sign(payload, secret or self.webhook_secret, timestamp)

    def deliver(self, event):
        """POST the signed event to webhook_url, as Stripe does; returns the HTTP status."""
        payload, signature = self.signed(event)
        request = urllib.request.Request(self.webhook_url, data=payload, method="POST", headers={
            "Content-Type": "application/json", "Stripe-Signature": signature})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        self.deliveries.append((event["type"], status))
        return status

    # -- what a customer does on the hosted page ------------------------------------------
    def complete(self, session_id):
        """The customer pays: the session completes; returns checkout.session.completed."""
        with self._lock:
            session = self.sessions[session_id]
            intent_id = session["payment_intent"] or f"pi_{next(self._ids):06d}"
            charge = self._book_charge(intent_id, session["amount_total"])
            self.intents[intent_id] = {"id": intent_id, "object": "payment_intent", "status": "succeeded",
                                       "amount": session["amount_total"], "currency": "eur", "refunded": 0,
                                       "latest_charge": charge["id"],
                                       "metadata": session["payment_intent_data"].get("metadata", {})}
            session.update(status="complete", payment_status="paid", payment_intent=intent_id)
            return self.event("checkout.session.completed", session)

    def fee_cents(self, amount_cents):
        percent = (Decimal(amount_cents) * self.fee_percent / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        return int(percent) + self.fee_fixed_cents

    def _book_charge(self, intent_id, amount):
        """The succeeded charge of a payment and its balance transaction (Stripe's fee)."""
        charge_id, transaction_id = f"ch_{next(self._ids):06d}", f"txn_{next(self._ids):06d}"
        fee = self.fee_cents(amount)
        self.balance_transactions[transaction_id] = {
            "id": transaction_id, "object": "balance_transaction", "type": "charge", "source": charge_id,
            "amount": amount, "currency": "eur", "fee": fee, "net": amount - fee, "status": "pending",
            "fee_details": [{"amount": fee, "currency": "eur", "type": "stripe_fee",
                             "description": "Stripe processing fees"}]}
        self.charges[charge_id] = {"id": charge_id, "object": "charge", "status": "succeeded", "paid": True,
                                   "amount": amount, "currency": "eur", "payment_intent": intent_id,
                                   "balance_transaction": transaction_id}
        return self.charges[charge_id]

    def decline(self, session_id):
        """The card is refused: the session stays open; returns payment_intent.payment_failed."""
        with self._lock:
            session = self.sessions[session_id]
            intent_id = session["payment_intent"] or f"pi_{next(self._ids):06d}"
            session["payment_intent"] = intent_id
            intent = {"id": intent_id, "object": "payment_intent", "status": "requires_payment_method",
                      "amount": session["amount_total"], "currency": "eur",
                      "metadata": session["payment_intent_data"].get("metadata", {}),
                      "last_payment_error": {"type": "card_error", "code": "card_declined",
                                             "decline_code": "generic_decline", "message": "Your card was declined."}}
            self.intents[intent_id] = intent
            return self.event("payment_intent.payment_failed", intent)

    def expire(self, session_id):
        """Stripe expires the session on its own; returns checkout.session.expired."""
        with self._lock:
            session = self.sessions[session_id]
            session["status"] = "expired"
            return self.event("checkout.session.expired", session)

    # -- HTTP -----------------------------------------------------------------------------
    def _handle(self, handler, method):
        url = urlsplit(handler.path)
        path = url.path
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length).decode() if length else ""
        if path.startswith("/pay/"):
            return self._hosted_page(handler, method, path.removeprefix("/pay/"), dict(parse_qsl(body)))
        params = nested(parse_qsl(body if method == "POST" else url.query, keep_blank_values=True))
        key = handler.headers.get("Idempotency-Key")
        self.requests.append({"method": method, "path": path, "params": params, "idempotency_key": key,
                              "authorization": handler.headers.get("Authorization", "")})
        if self.on_request:
            self.on_request()
        if self.delay:
            time.sleep(self.delay)
        with self._lock:
            if method == "POST" and key and key in self._answers:
                status, answer = self._answers[key]
            else:
                status, answer = self._answer(handler, method, path, params)
                if method == "POST" and key and status < 500:
                    self._answers[key] = (status, answer)
        data = json.dumps(answer).encode()
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(data)))
            handler.send_header("Request-Id", f"req_{next(self._ids)}")
            handler.end_headers()
            handler.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout tests)
            pass

    def _answer(self, handler, method, path, params):
        if self.unavailable:
            return 503, {"error": {"type": "api_error", "message": "Service indisponible"}}
        if handler.headers.get("Authorization") != f"Bearer {self.api_key}":
            return 401, {"error": {"type": "invalid_request_error", "message": "Invalid API Key provided."}}
        for index, (prefix, error) in enumerate(self.failures):
            if path.startswith(prefix):
                del self.failures[index]
                return error.status, error.body
        try:
            if method == "POST" and path == "/v1/checkout/sessions":
                return 200, self._create_session(params)
            if method == "GET" and path == "/v1/checkout/sessions":
                return 200, self._list_sessions(params)
            if path.startswith("/v1/checkout/sessions/"):
                session_id, _, action = path.removeprefix("/v1/checkout/sessions/").partition("/")
                session = self.sessions.get(session_id)
                if session is None:
                    raise StripeError(404, "invalid_request_error", f"No such checkout.session: '{session_id}'",
                                      "resource_missing")
                if method == "POST" and action == "expire":
                    if session["status"] != "open":
                        raise StripeError(400, "invalid_request_error",
                                          f"Only Checkout Sessions with a status in [\"open\"] can be expired. "
                                          f"This Checkout Session has a status of \"{session['status']}\".")
                    session["status"] = "expired"
                return 200, session
            if method == "POST" and path == "/v1/refunds":
                return 200, self._create_refund(params)
            for prefix, store, kind in (("/v1/payment_intents/", self.intents, "payment_intent"),
                                        ("/v1/charges/", self.charges, "charge"),
                                        ("/v1/balance_transactions/", self.balance_transactions,
                                         "balance_transaction")):
                if method == "GET" and path.startswith(prefix):
                    found = store.get(path.removeprefix(prefix))
                    if found is None:
                        raise StripeError(404, "invalid_request_error",
                                          f"No such {kind}: '{path.removeprefix(prefix)}'", "resource_missing")
                    return 200, self._expanded(found, params.get("expand") or [])
        except StripeError as error:
            return error.status, error.body
        return 404, {"error": {"type": "invalid_request_error", "message": f"Unrecognized request URL ({method}: {path})"}}

    def _expanded(self, obj, paths):
        """A copy of `obj` with each dotted path of `expand` (« latest_charge.balance_transaction »)
        turned from an id into the object it names, as Stripe does."""
        obj = json.loads(json.dumps(obj))
        if isinstance(paths, str):
            paths = [paths]
        for path in paths:
            node, fields = obj, path.split(".")
            for field in fields:
                value = node.get(field) if isinstance(node, dict) else None
                if isinstance(value, str):
                    value = json.loads(json.dumps(self._by_id(value)))
                    node[field] = value
                node = value
        return obj

    def _by_id(self, object_id):
        for store in (self.intents, self.charges, self.balance_transactions, self.refunds, self.sessions):
            if object_id in store:
                return store[object_id]
        raise StripeError(400, "invalid_request_error", f"Cannot expand {object_id}", "resource_missing")

    def _create_session(self, params):
        for field in ("success_url", "cancel_url", "line_items", "mode"):
            if field not in params:
                raise StripeError(400, "invalid_request_error", f"Missing required param: {field}.", "parameter_missing")
        amounts = []
        for item in params["line_items"]:
            if item["price_data"]["currency"] != "eur":
                raise StripeError(400, "invalid_request_error", "Invalid currency.")
            amounts.append(int(item["price_data"]["unit_amount"]) * int(item.get("quantity", 1)))
        session_id = f"cs_test_{next(self._ids):06d}"
        session = {
            "id": session_id, "object": "checkout.session", "status": "open", "payment_status": "unpaid",
            "created": int(time.time()), "mode": params["mode"], "currency": "eur", "amount_total": sum(amounts),
            "customer_email": params.get("customer_email"), "client_reference_id": params.get("client_reference_id"),
            "metadata": params.get("metadata", {}), "payment_intent": None,
            "payment_intent_data": params.get("payment_intent_data", {}),
            "success_url": params["success_url"], "cancel_url": params["cancel_url"],
            "expires_at": int(params.get("expires_at", time.time() + 86400)), "line_items": params["line_items"],
            "url": f"{self.url}/pay/{session_id}",
        }
        self.sessions[session_id] = session
        return session

    def _list_sessions(self, params):
        """Newest first, filtered by `created[gte|gt|lte|lt]`, `limit` (10 by default,
        at most 100) a page, the next page `starting_after` the last id seen."""
        created = params.get("created", {})
        if not isinstance(created, dict):
            created = {"gte": created, "lte": created}
        tests = {"gte": lambda a, b: a >= b, "gt": lambda a, b: a > b,
                 "lte": lambda a, b: a <= b, "lt": lambda a, b: a < b}
        found = [session for session in reversed(list(self.sessions.values()))
                 if all(tests[op](session["created"], int(value)) for op, value in created.items())]
        if params.get("starting_after"):
            ids = [session["id"] for session in found]
            if params["starting_after"] not in ids:
                raise StripeError(400, "invalid_request_error", "Invalid starting_after.", "resource_missing")
            found = found[ids.index(params["starting_after"]) + 1:]
        limit = min(int(params.get("limit", 10)), 100)
        return {"object": "list", "url": "/v1/checkout/sessions", "data": found[:limit],
                "has_more": len(found) > limit}

    def _create_refund(self, params):
        intent = self.intents.get(params.get("payment_intent"))
        if intent is None or intent["status"] != "succeeded":
            raise StripeError(400, "invalid_request_error", "No such payment_intent.", "resource_missing")
        amount = int(params.get("amount", intent["amount"] - intent["refunded"]))
        if amount <= 0 or intent["refunded"] + amount > intent["amount"]:
            raise StripeError(400, "invalid_request_error", "Refund amount is greater than unrefunded amount.",
                              "amount_too_large")
        intent["refunded"] += amount
        refund_id = f"re_{next(self._ids):06d}"
        refund = {"id": refund_id, "object": "refund", "amount": amount, "currency": "eur", "status": "succeeded",
                  "payment_intent": intent["id"], "metadata": params.get("metadata", {})}
        self.refunds[refund_id] = refund
        return refund

    # -- the hosted page ------------------------------------------------------------------
    def _hosted_page(self, handler, method, session_id, form):
        session = self.sessions.get(session_id)
        if session is None or session["status"] != "open":
            return self._html(handler, 404, "<h1>Session de paiement expirée</h1>")
        error = ""
        if method == "POST":
            card = form.get("card", "").replace(" ", "")
            if card == DECLINED_CARD:
                self.deliver(self.decline(session_id))
                error = '<p role="alert" class="error">Votre carte a été refusée.</p>'
            else:
                self.deliver(self.complete(session_id))
                target = session["success_url"].replace("{CHECKOUT_SESSION_ID}", session_id)
                handler.send_response(303)
                handler.send_header("Location", target)
                handler.send_header("Content-Length", "0")
                handler.end_headers()
                return None
        euros = f"{session['amount_total'] / 100:.2f}".replace(".", ",")
        page = f"""<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Paiement (test)</title>
<meta name="viewport" content="width=device-width"></head><body><h1>Payer {euros} €</h1>{error}
<form method="post"><label for="card">Numéro de carte</label> <input id="card" name="card" autocomplete="off">
<button type="submit">Payer {euros} €</button></form>
<p><a href="{html.escape(session['cancel_url'])}">Retour au site</a></p></body></html>"""
        return self._html(handler, 200, page)

    @staticmethod
    def _html(handler, status, page):
        data = page.encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)
