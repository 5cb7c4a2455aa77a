/**
 * Why a webhook URL is malformed, or null: http(s) only (file:, gopher:, data: and the like
 * have no business here), a host, no credentials, a sane length. Where the URL may point
 * (https, no internal address) is WebhookUrlGuard's to decide: it needs the configuration and DNS.
 */
export function webhookUrlProblem(value: unknown): string | null {
  if (typeof value !== 'string' || value.trim() === '') return 'must be an http(s) URL';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute https URL such as https://crm.example.com/hooks/calls';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return `must use https, not ${url.protocol.replace(/:$/, '')}`;
  if (!url.hostname) return 'must name a host';
  if (url.username || url.password)
    return 'must not carry credentials; every request is signed with the campaign webhook secret';
  if (value.length > 2048) return 'must be at most 2048 characters long';
  return null;
}
