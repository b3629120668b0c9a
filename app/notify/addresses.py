"""E-mail addresses as a page may show them: enough to recognise one's own, no more."""


def masked_address(address: str | None) -> str:
    """'jane@example.com' -> 'j***@example.com': the first letter and the domain."""
    local, at, domain = (address or "").strip().rpartition("@")
    if not at or not local:
        return "***"
    return f"{local[0]}***@{domain}"
