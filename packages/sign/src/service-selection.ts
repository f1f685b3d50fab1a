// Which services a signing config v0.2 selects, by sigstore-go's rules (pkg/root/signing_config.go
// SelectService / SelectServices): the highest API version Sigil speaks that has a service valid
// now; newest start first; at most one service per operator; then the config's selector: ALL of
// them, ANY one, or EXACT `count` (sigstore-go picks at random among the candidates; Sigil takes
// the newest, which the selector equally allows and which makes a run repeatable).
import type { Service, ServiceConfiguration, SigningConfig } from '@sigil/bundle';
import { SignError } from './errors.js';
import type { TransparencyLogService } from './transparency-logs.js';
import { rekorV2WithoutTimestamp } from './untimed-log.js';

/** API versions Sigil speaks: Fulcio v2 (config version 1), Rekor v1 and v2, TSA v1. */
export const SUPPORTED_API_VERSIONS = { ca: [1], tlog: [1, 2], tsa: [1] } as const;

export interface SelectedServices {
  fulcioURL: string;
  transparencyLogs: TransparencyLogService[];
  tsaURLs: string[];
  /** The OIDC issuers the config names (tokens from others are refused before Fulcio). */
  knownIssuers: string[];
}

/** `name` names the config in errors (its file). */
export function selectSigningServices(config: SigningConfig, name: string, now = new Date()): SelectedServices {
  const [ca] = candidates(config.caUrls, SUPPORTED_API_VERSIONS.ca, now);
  if (!ca) throw refused(name, `expected a CA (caUrls) with API version 1 valid at ${now.toISOString()}, found none among ${config.caUrls.length}`);
  const logs = select(config.rekorTlogUrls, config.rekorTlogConfig, SUPPORTED_API_VERSIONS.tlog, now, name, 'rekorTlogUrls', 'rekorTlogConfig');
  // As sigstore-go: a config without TSAs signs without timestamps; one whose TSAs are all unusable is refused.
  const tsas = config.tsaUrls.length === 0 ? [] : select(config.tsaUrls, config.tsaConfig, SUPPORTED_API_VERSIONS.tsa, now, name, 'tsaUrls', 'tsaConfig');
  const v2 = rekorV2WithoutTimestamp(logs, tsas.length);
  if (v2) {
    throw refused(name, `selects the Rekor v2 log ${v2.url}, whose entries carry no signed time, but no timestamp authority (tsaUrls valid now) to date the signature`);
  }
  return {
    fulcioURL: ca.url,
    transparencyLogs: logs.map((log) => ({ url: log.url, majorApiVersion: log.majorApiVersion as 1 | 2 })),
    tsaURLs: tsas.map((tsa) => tsa.url),
    knownIssuers: config.oidcUrls.map((s) => s.url),
  };
}

/**
 * SelectServices: services of the highest supported version with any valid now, newest first,
 * the newest of each operator; then the selector. A missing selector is ANY (sigstore-js's
 * reading of a config that states none).
 */
function select(services: Service[], configuration: ServiceConfiguration | undefined, versions: readonly number[], now: Date, name: string, list: string, field: string): Service[] {
  const found = candidates(services, versions, now);
  const { selector, count } = configuration ?? { selector: 'ANY', count: 0 };
  if (found.length === 0) throw refused(name, `expected ${list} with API version ${versions.join(' or ')} valid at ${now.toISOString()}, found none among ${services.length}`);
  switch (selector) {
    case 'ALL':
      return found;
    case 'ANY':
      return found.slice(0, 1);
    case 'EXACT':
      if (!(count > 0)) throw refused(name, `${field}: selector EXACT needs a count above 0, found ${count}`);
      if (count > found.length) {
        throw refused(name, `${field}: selector EXACT asks for ${count} of ${list}, but only ${found.length} (distinct operators, valid now, API version ${found[0]!.majorApiVersion}) can be used`);
      }
      return found.slice(0, count);
    default:
      throw refused(name, `${field}: expected selector ALL, ANY or EXACT, found ${String(selector)}`);
  }
}

function candidates(services: Service[], versions: readonly number[], now: Date): Service[] {
  const newestFirst = [...services].sort((a, b) => (b.validFor.start?.getTime() ?? 0) - (a.validFor.start?.getTime() ?? 0));
  for (const version of [...versions].sort((a, b) => b - a)) {
    const operators = new Set<string>();
    const chosen = newestFirst.filter((s) => {
      if (s.majorApiVersion !== version || !validAt(s, now) || operators.has(s.operator)) return false;
      operators.add(s.operator);
      return true;
    });
    if (chosen.length > 0) return chosen;
  }
  return [];
}

function validAt(service: Service, now: Date): boolean {
  const { start, end } = service.validFor;
  return !(start && now < start) && !(end && now > end);
}

function refused(name: string, message: string): SignError {
  return new SignError('SIGN_OPTIONS_INVALID', `signing config ${name}: ${message}`);
}
