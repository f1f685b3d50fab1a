/** The config.yml of a throwaway registry 2.8: filesystem storage, loopback only, errors only in the log. */
export function registryConfig(options: { storageDir: string; address: string; secret: string; htpasswdPath?: string }): string {
  const auth = options.htpasswdPath === undefined ? [] : ['auth:', '  htpasswd:', '    realm: sigil-test-registry', `    path: ${yamlString(options.htpasswdPath)}`];
  return [
    'version: 0.1',
    'log:',
    '  level: error',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${yamlString(options.storageDir)}`,
    '  delete:',
    '    enabled: true',
    '  maintenance:',
    '    uploadpurging:',
    '      enabled: false',
    'http:',
    `  addr: ${options.address}`,
    `  secret: ${options.secret}`,
    ...auth,
    '',
  ].join('\n');
}

/** A YAML double-quoted scalar; JSON's escapes are valid YAML. */
function yamlString(text: string): string {
  return JSON.stringify(text);
}
