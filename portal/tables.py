"""Tables that sort and page, the same way on every console list."""

from dataclasses import dataclass
from functools import cached_property

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

DEFAULT_PAGE_SIZE = 25
PAGE_SIZES = (10, 25, 50, 100)


@dataclass
class SortableColumn:
    key: str
    label: str
    url: str
    sort_state: str  # "ascending", "descending" or "" when the table is not sorted on it


@dataclass
class Table:
    page: Page
    columns: list[SortableColumn]
    sort: str
    query_without_page: str


def _query(request, **changes) -> str:
    params = request.GET.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return params.urlencode()


class DeferredJoinPaginator(Paginator):
    """Pages of a long list: the page's primary keys first (from an index that covers the filter and the
    order, so a deep page skips index entries rather than table rows), then those rows with their joins.
    A page in the list's second half is counted from its end, in the reverse order: the last page skips
    nothing, and no page skips more than half the list. `count`, when the caller knows it already, saves
    counting the list."""

    def __init__(self, object_list, per_page, *, count: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count if self._known_count is not None else Paginator.count.func(self)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        if bottom > self.count - top:
            from_end = self.object_list.reverse().values_list("pk", flat=True)[self.count - top : self.count - bottom]
            keys = list(from_end)[::-1]
        else:
            keys = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = self.object_list.model._default_manager.none() if not keys else self.object_list.filter(pk__in=keys)
        by_key = {row.pk: row for row in rows}
        return self._get_page([by_key[key] for key in keys if key in by_key], number, self)


def sorted_page(
    request, queryset: QuerySet, sortable: dict[str, tuple[str, str]], default_sort: str, *, paginator=Paginator
) -> Table:
    """Sort by ?sort=key or ?sort=-key (only keys in `sortable`: key -> (label, field)), then page by ?page=.

    A tie-breaker on the primary key keeps paging stable when sort values repeat.
    """
    requested = request.GET.get("sort", default_sort)
    key = requested.lstrip("-")
    if key not in sortable:
        requested, key = default_sort, default_sort.lstrip("-")
    descending = requested.startswith("-")
    field = sortable[key][1]
    ordered = queryset.order_by(f"-{field}" if descending else field, "-pk" if descending else "pk")
    try:
        page_size = int(request.GET.get("per_page", DEFAULT_PAGE_SIZE))
    except ValueError:
        page_size = DEFAULT_PAGE_SIZE
    if page_size not in PAGE_SIZES:
        page_size = DEFAULT_PAGE_SIZE
    page = paginator(ordered, page_size).get_page(request.GET.get("page"))
    columns = []
    for column_key, (label, _) in sortable.items():
        is_current = column_key == key
        next_sort = column_key if (is_current and descending) or not is_current else f"-{column_key}"
        state = ("descending" if descending else "ascending") if is_current else ""
        columns.append(SortableColumn(column_key, label, "?" + _query(request, sort=next_sort, page=None), state))
    return Table(page=page, columns=columns, sort=requested, query_without_page=_query(request, page=None))
