// GitLab's ci_config_ref_uri claim, `<host>[/<root>]/<project>//<config path>@<ref>`, has no
// scheme; Fulcio's SAN (and the Build Signer and Build Config URIs) is `https://` + the claim.

/** The SAN Fulcio writes for a GitLab job: `https://host/project//config@ref`. */
export function gitlabIdentity(sanBase: string, project: string, configPath: string, ref: string): string {
  return `${sanBase}/${project}//${configPath}@${ref}`;
}

export interface ConfigRefParts {
  /** Host, port and relative URL root, then the project path: everything before `//`. */
  location: string;
  configPath: string;
  /** `refs/heads/...` or `refs/tags/...`. */
  ref: string;
}

/** Splits a ci_config_ref_uri at its `//` and `@refs/`; undefined when it has neither. */
export function splitConfigRefUri(claim: string): ConfigRefParts | undefined {
  const slashes = claim.indexOf('//');
  if (slashes <= 0) return undefined;
  const rest = claim.slice(slashes + 2);
  const at = rest.indexOf('@refs/');
  if (at <= 0) return undefined;
  return { location: claim.slice(0, slashes), configPath: rest.slice(0, at), ref: rest.slice(at + 1) };
}

/**
 * The project a ci_config_ref_uri's location names. Where the instance's host part is known
 * it is cut off; otherwise a location ending in `/<expected>` names `expected`, and any
 * other names what follows its host.
 */
export function projectOfLocation(location: string, hostPart: string | undefined, expected: string | undefined): string {
  if (hostPart !== undefined && location.startsWith(`${hostPart}/`)) return location.slice(hostPart.length + 1);
  if (expected !== undefined && location.endsWith(`/${expected}`)) return expected;
  const slash = location.indexOf('/');
  return slash < 0 ? location : location.slice(slash + 1);
}
