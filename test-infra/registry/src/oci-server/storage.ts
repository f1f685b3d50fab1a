/** A manifest as it was pushed, plus what the referrers API needs to know about it. */
export interface StoredManifest {
  digest: string;
  bytes: Buffer;
  /** The Content-Type of the PUT, served back unchanged. */
  contentType: string;
  mediaType: string;
  subject: string | undefined;
  artifactType: string | undefined;
  annotations: Record<string, string> | undefined;
}

export interface Upload {
  id: string;
  name: string;
  chunks: Buffer[];
  size: number;
}

export class Repository {
  readonly blobs = new Map<string, Buffer>();
  readonly manifests = new Map<string, StoredManifest>();
  readonly tags = new Map<string, string>();
}

/** Everything the in-repo registry holds, in memory; gone when it closes. */
export class RegistryStorage {
  private readonly repositories = new Map<string, Repository>();
  readonly uploads = new Map<string, Upload>();

  find(name: string): Repository | undefined {
    return this.repositories.get(name);
  }

  open(name: string): Repository {
    let repository = this.repositories.get(name);
    if (!repository) {
      repository = new Repository();
      this.repositories.set(name, repository);
    }
    return repository;
  }
}
