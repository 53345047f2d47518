"""Gift card codes: 75 random bits in 15 Crockford base-32 characters, a 16th that
checks them (Luhn mod 32: any single mistyped character is caught, and any swap of
two neighbours but 0↔Z), shown in four groups of four that read aloud well:
« K7QM-2XHD-9RTB-4WZC ». Typing is forgiving: lower case, spaces, dashes, and O/I/L
for 0/1/1 are accepted."""
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
RANDOM_CHARS = 15  # 15 × 5 bits = 75 bits of randomness
LENGTH = RANDOM_CHARS + 1
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})


def check_character(payload):
    """Luhn mod N over the alphabet, N = 32."""
    n = len(ALPHABET)
    total, factor = 0, 2
    for char in reversed(payload):
        addend = factor * ALPHABET.index(char)
        total += addend // n + addend % n
        factor = 1 if factor == 2 else 2
    return ALPHABET[(n - total % n) % n]


def generate():
    payload = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_CHARS))
    return payload + check_character(payload)


def normalise(typed):
    """The 16 characters of a typed code, or "" when it cannot be one."""
    compact = "".join((typed or "").upper().split()).replace("-", "").translate(_CONFUSABLE)
    if len(compact) != LENGTH or any(char not in ALPHABET for char in compact):
        return ""
    return compact


def is_well_formed(code):
    """Whether a normalised code's last character checks the others."""
    return len(code) == LENGTH and check_character(code[:-1]) == code[-1]


def display(code):
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def masked(code):
    """« ····-····-····-4WZC »: enough to tell cards apart, not to use one."""
    return "····-····-····-" + code[-4:]
