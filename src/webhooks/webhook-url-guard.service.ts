import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import { lookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { AppConfig } from '../config/app-config';
import { RUNTIME, type DnsLookup, type Runtime } from '../core/runtime';
import { blockedAddressReason } from './address-policy';
import { webhookUrlProblem } from './webhook-url';

const systemLookup: DnsLookup = (hostname) => lookup(hostname, { all: true, verbatim: true });

/** The connection was refused because of where the host name led: never retried. */
export class BlockedAddressError extends Error {
  readonly code = 'ERR_WEBHOOK_BLOCKED_ADDRESS';
}

/**
 * Keeps CRM webhooks away from our own network (SSRF): a webhook URL must be https, and its host
 * must not be, or resolve to, a loopback, link-local, private, unique-local, multicast or
 * unspecified address. Hosts of WEBHOOK_ALLOWED_HOSTS are the operator's own: http and any
 * address. Checked when a URL is saved, and again at every delivery by the connection's own DNS
 * lookup (`connectLookup`): the socket connects to the address that was checked, so a name that
 * changes its answer in between (DNS rebinding) gains nothing.
 */
@Injectable()
export class WebhookUrlGuard {
  private readonly allowed: Set<string>;
  private readonly resolve: DnsLookup;

  constructor(config: AppConfig, @Inject(RUNTIME) runtime: Runtime) {
    this.allowed = new Set(config.webhookAllowedHosts);
    this.resolve = runtime.dnsLookup ?? systemLookup;
  }

  /** 400 naming webhook_url unless the URL may be saved (its host resolved and checked now). */
  async assertSavable(url: string): Promise<void> {
    const problem = this.urlProblem(url) ?? (await this.resolvedProblem(url));
    if (problem) {
      throw new BadRequestException({
        message: `webhook_url ${problem}`,
        details: [{ field: 'webhook_url', message: `webhook_url ${problem}` }],
      });
    }
  }

  /** What is wrong with the URL itself (scheme, an IP literal in a refused range), or null. */
  urlProblem(value: string): string | null {
    const syntax = webhookUrlProblem(value);
    if (syntax) return syntax;
    const url = new URL(value);
    const host = hostOf(url);
    if (this.allowed.has(host)) return null;
    if (url.protocol !== 'https:')
      return 'must use https (plain http only for hosts listed in WEBHOOK_ALLOWED_HOSTS)';
    if (isIP(host)) {
      const reason = blockedAddressReason(host);
      if (reason) return `must not point at a ${reason} address`;
    }
    return null;
  }

  /** Net's `lookup` for delivery sockets: resolves, refuses blocked addresses, pins the rest. */
  readonly connectLookup: LookupFunction = (hostname, options, callback) => {
    this.checkedAddresses(hostname).then(
      (all) => {
        const wanted = options.family === 4 || options.family === 6 ? options.family : 0;
        const usable = wanted ? all.filter((a) => a.family === wanted) : all;
        if (usable.length === 0) {
          const err = Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' });
          return callback(err, '', 0);
        }
        if (options.all) return (callback as AllCallback)(null, usable);
        callback(null, usable[0].address, usable[0].family);
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 0),
    );
  };

  private async resolvedProblem(value: string): Promise<string | null> {
    const host = hostOf(new URL(value));
    if (this.allowed.has(host) || isIP(host)) return null;
    try {
      await this.checkedAddresses(host);
      return null;
    } catch (err) {
      if (err instanceof BlockedAddressError) return err.message;
      return `names a host that does not resolve (${(err as NodeJS.ErrnoException).code ?? 'DNS error'})`;
    }
  }

  /** Every address of `host`, or BlockedAddressError when any of them is refused. */
  private async checkedAddresses(host: string): Promise<{ address: string; family: number }[]> {
    const bare = host.toLowerCase().replace(/^\[|\]$/g, '');
    const all = isIP(bare) ? [{ address: bare, family: isIP(bare) }] : await this.resolve(bare);
    if (this.allowed.has(bare)) return all;
    for (const a of all) {
      const reason = blockedAddressReason(a.address);
      if (reason) throw new BlockedAddressError(`resolves to a ${reason} address`);
    }
    return all;
  }
}

type AllCallback = (err: null, addresses: { address: string; family: number }[]) => void;

function hostOf(url: URL): string {
  return url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
}
