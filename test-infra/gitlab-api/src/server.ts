import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a token may do. Developer: read projects; Maintainer: read and write variables (GitLab answers 403 to a Developer's variables request). */
export type TokenRole = 'developer' | 'maintainer';

export interface GitlabApiServerOptions {
  /** Full paths of the projects and groups that exist, with their numeric ids. */
  projects: Record<string, number>;
  groups?: Record<string, number>;
  tokens: Record<string, TokenRole>;
  /**
   * How many projects a group's answer (GET groups/:id) embeds, as GitLab's does (its projects
   * and those shared with it) unless asked `with_projects=false`. Default none.
   */
  groupProjects?: number;
}

/** A variable as GitLab's API returns it. */
export interface StoredVariable {
  variable_type: 'env_var' | 'file';
  key: string;
  value: string;
  protected: boolean;
  masked: boolean;
  raw: boolean;
  environment_scope: string;
  description: string | null;
}

export interface GitlabApiServer {
  /** The instance URL (what GITLAB_HOST takes). */
  url: string;
  /** Variables by owner (`project:group/name` or `group:name`), for assertions. */
  variables(owner: string): Map<string, StoredVariable>;
  /** Every request's method, path and query (`?…`, or ''), in order. */
  requests: { method: string; path: string; query: string }[];
  close(): Promise<void>;
}

// GitLab's rule for masked values (single line, 8+ characters from base64 and @ : . ~).
const MASKABLE = /^[A-Za-z0-9+/=_\-@:.~]{8,}$/;
const KEY = /^[A-Za-z0-9_]{1,255}$/;

export async function startGitlabApi(options: GitlabApiServerOptions): Promise<GitlabApiServer> {
  const owners = new Map<string, Map<string, StoredVariable>>();
  const requests: { method: string; path: string; query: string }[] = [];
  const ownerVariables = (owner: string) => {
    let found = owners.get(owner);
    if (!found) owners.set(owner, (found = new Map()));
    return found;
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push({ method: req.method ?? '', path: url.pathname, query: url.search });
    let body = '';
    for await (const chunk of req) body += String(chunk);
    const role = options.tokens[String(req.headers['private-token'] ?? '')];
    if (!role) return send(res, 401, { message: '401 Unauthorized' });
    // /api/v4/{projects|groups}/:id[/variables[/:key]], :id a number or an encoded full path.
    const match = /^\/api\/v4\/(projects|groups)\/([^/]+)(\/variables(?:\/([^/]+))?)?$/.exec(url.pathname);
    if (!match) return send(res, 404, { error: '404 Not Found' });
    const [, kind, rawId, variablesPath, rawKey] = match;
    const table = kind === 'projects' ? options.projects : (options.groups ?? {});
    const id = decodeURIComponent(rawId!);
    const path = /^\d+$/.test(id) ? Object.keys(table).find((p) => String(table[p]) === id) : Object.hasOwn(table, id) ? id : undefined;
    const singular = kind === 'projects' ? 'Project' : 'Group';
    if (path === undefined) return send(res, 404, { message: `404 ${singular} Not Found` });
    if (!variablesPath) {
      if (req.method !== 'GET') return send(res, 405, { error: '405 Method Not Allowed' });
      const embedded = kind === 'groups' && url.searchParams.get('with_projects') !== 'false' ? { projects: Array.from({ length: options.groupProjects ?? 0 }, (_, i) => project(path, i)) } : {};
      return send(res, 200, { id: table[path], path_with_namespace: path, full_path: path, ...embedded });
    }
    if (role !== 'maintainer') return send(res, 403, { message: '403 Forbidden' });
    const variables = ownerVariables(`${kind === 'projects' ? 'project' : 'group'}:${path}`);
    const key = rawKey === undefined ? undefined : decodeURIComponent(rawKey);
    if (req.method === 'GET' && key !== undefined) {
      const variable = variables.get(key);
      return variable ? send(res, 200, variable) : send(res, 404, { message: '404 Variable Not Found' });
    }
    if (req.method === 'POST' && key === undefined) return create(res, variables, body);
    return send(res, 405, { error: '405 Method Not Allowed' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    variables: (owner) => ownerVariables(owner),
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function create(res: ServerResponse, variables: Map<string, StoredVariable>, body: string): void {
  let input: Record<string, unknown>;
  try {
    input = JSON.parse(body);
  } catch {
    return send(res, 400, { error: 'body is invalid' });
  }
  const key = input.key;
  const value = input.value;
  if (typeof key !== 'string' || !KEY.test(key)) return send(res, 400, { message: { key: ['is invalid'] } });
  if (typeof value !== 'string') return send(res, 400, { error: 'value is missing' });
  if (variables.has(key)) return send(res, 400, { message: { key: [`(${key}) has already been taken`] } });
  const masked = input.masked === true;
  if (masked && !MASKABLE.test(value)) return send(res, 400, { message: { value: ['is invalid'] } });
  const variable: StoredVariable = {
    variable_type: input.variable_type === 'file' ? 'file' : 'env_var',
    key,
    value,
    protected: input.protected === true,
    masked,
    raw: input.raw === true,
    environment_scope: typeof input.environment_scope === 'string' ? input.environment_scope : '*',
    description: typeof input.description === 'string' ? input.description : null,
  };
  variables.set(key, variable);
  send(res, 201, variable);
}

/** A project as a group's answer embeds it: a few of GitLab's fields, nested as GitLab nests them. */
function project(group: string, i: number): Record<string, unknown> {
  const path = `project-${i}`;
  return {
    id: 1000 + i,
    path,
    path_with_namespace: `${group}/${path}`,
    topics: [],
    namespace: { id: 1, kind: 'group', full_path: group },
    _links: { self: `https://gitlab.example/api/v4/projects/${1000 + i}`, members: `https://gitlab.example/api/v4/projects/${1000 + i}/members` },
    permissions: { project_access: null, group_access: { access_level: 40, notification_level: 3 } },
    container_expiration_policy: { cadence: '1d', enabled: false, keep_n: 10 },
  };
}

function send(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}
