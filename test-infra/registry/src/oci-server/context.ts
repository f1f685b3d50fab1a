import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RepositoryEndpoint } from './endpoints.js';
import type { RegistryStorage } from './storage.js';

/** What every endpoint handler gets: the request, its endpoint, the storage and the server's settings. */
export interface RequestContext<Kind extends RepositoryEndpoint['kind'] = RepositoryEndpoint['kind']> {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  endpoint: Extract<RepositoryEndpoint, { kind: Kind }>;
  storage: RegistryStorage;
  referrersApi: boolean;
  maxBodyBytes: number;
}
