"""LINE's webhook signature, computed in one place for the webhook, the CLI, the tests and the benchmarks.

`x-line-signature` is Base64(HMAC-SHA256(channel secret, raw request body)) (LINE docs, "Verify
webhook signature"). It is computed over the bytes as received rather than with the SDK's
SignatureValidator, which re-encodes a str: a body that is not valid UTF-8 would otherwise fail
verification instead of being kept for inspection.
"""

from __future__ import annotations

import base64
import hashlib
import hmac


def sign(secret: str | bytes, raw: bytes) -> str:
    """The signature LINE would send with this body."""
    key = secret if isinstance(secret, bytes) else secret.encode("utf-8")
    return base64.b64encode(hmac.new(key, raw, hashlib.sha256).digest()).decode("ascii")


def signature_is_valid(secret: str | bytes, raw: bytes, signature: str) -> bool:
    """Compared in constant time, so a forger learns nothing from how long a refusal takes."""
    return hmac.compare_digest(sign(secret, raw).encode("ascii"), signature.encode("utf-8", errors="replace"))
