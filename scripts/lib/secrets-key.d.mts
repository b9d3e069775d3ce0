// Types of the plain-JS module next to this file (the launcher runs before TypeScript tooling is installed).
export declare const DEV_SECRETS_KEY_FILE: string;
export declare function devSecretsKey(
  repoDir: string,
  env: Record<string, string | undefined>,
  options?: { create?: boolean },
): string | undefined;
