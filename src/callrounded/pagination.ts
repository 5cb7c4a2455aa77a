import type { PageRequest, PageResult, PaginationMode } from './callrounded.types';

/**
 * Walks every page. Items are de-duplicated by id: page mode shifts when new calls arrive
 * between requests, and a datetime cursor may repeat records that share a start time.
 */
export async function* paginate<T extends { id: string }>(
  fetchPage: (page: PageRequest) => Promise<PageResult<T>>,
  mode: PaginationMode,
): AsyncGenerator<T> {
  const seen = new Set<string>();
  let request: PageRequest = mode === 'cursor' ? { mode: 'cursor' } : { mode: 'page', page: 1 };
  for (;;) {
    const result = await fetchPage(request);
    for (const item of result.data) {
      if (seen.has(item.id)) continue;
      seen.add(item.id);
      yield item;
    }
    const next = nextRequest(request, result);
    if (!next) return;
    request = next;
  }
}

function nextRequest<T>(current: PageRequest, result: PageResult<T>): PageRequest | undefined {
  if (result.data.length === 0) return undefined;
  if (current.mode === 'cursor') {
    // A cursor that does not move would loop forever.
    if (!result.next_cursor || result.next_cursor === current.cursor) return undefined;
    return { mode: 'cursor', cursor: result.next_cursor };
  }
  const page = result.current_page ?? current.page;
  // Without total_pages, keep going until an empty page.
  if (result.total_pages !== undefined && page >= result.total_pages) return undefined;
  return { mode: 'page', page: page + 1 };
}

/** Query parameters of one page request; `use_cursor` is always explicit (the docs disagree on its default). */
export function pageQuery(page: PageRequest): Record<string, string | number | boolean> {
  if (page.mode === 'cursor') {
    return page.cursor ? { use_cursor: true, cursor: page.cursor } : { use_cursor: true };
  }
  return { use_cursor: false, page: page.page };
}

/** Reads pagination keys from the top level of the envelope, beside `data`. */
export function readPage<T>(
  envelope: Record<string, unknown>,
  data: T[],
  mode: PaginationMode,
): PageResult<T> {
  const result: PageResult<T> = { data };
  if (mode === 'cursor') {
    const cursor = envelope.next_cursor;
    if (typeof cursor === 'string' && cursor !== '') result.next_cursor = cursor;
    return result;
  }
  for (const key of ['current_page', 'total_pages', 'total_items'] as const) {
    const value = envelope[key];
    if (typeof value === 'number' && Number.isFinite(value)) result[key] = value;
  }
  return result;
}
