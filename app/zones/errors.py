"""Domain errors of zones and availability; messages read "한국어 / English"."""


class UnknownZone(LookupError):
    """No active zone has this code."""

    def __init__(self, code: str):
        super().__init__(
            f"없거나 운영하지 않는 상담존입니다: {code!r} / Unknown or inactive zone: {code!r}"
        )
        self.code = code
