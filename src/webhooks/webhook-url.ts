/**
 * Why a webhook URL cannot be used, or null when it can. The URL is the campaign owner's own
 * endpoint, so private addresses are allowed; only schemes other than http(s) are refused
 * (file:, gopher:, data: and the like have no business here), and credentials in the URL.
 */
export function webhookUrlProblem(value: unknown): string | null {
  if (typeof value !== 'string' || value.trim() === '') return 'must be an http(s) URL';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute http(s) URL such as https://crm.example.com/hooks/calls';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return `must use http or https, not ${url.protocol.replace(/:$/, '')}`;
  if (!url.hostname) return 'must name a host';
  if (url.username || url.password)
    return 'must not carry credentials; every request is signed with the campaign webhook secret';
  if (value.length > 2048) return 'must be at most 2048 characters long';
  return null;
}
