"""Page numbers of the staff lists that are read a page at a time."""


def page_numbers(total: int, asked: int, per_page: int) -> tuple[int, int]:
    """(page, pages): how many pages `total` rows fill (at least one), and the page asked
    for kept within them (a page past the end shows the last, below 1 the first)."""
    pages = max(1, -(-total // per_page))
    return min(max(asked, 1), pages), pages
