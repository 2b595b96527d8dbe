"""The `<id:…>` URL converter: a row id a database integer can hold.

Django's `<int:…>` takes any run of digits, and a 20-digit id then overflows the database's
integers (a server error instead of "not found"). Up to 18 digits always fits a bigint.
"""


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int | str) -> str:
        return str(value)
