// Types of the plain-JS module next to this file (the launcher runs before TypeScript tooling is installed).
export declare const EMBEDDED_PG_USER: string;
export declare const EMBEDDED_PG_PASSWORD: string;
export declare function embeddedServerUrl(port: number): string;
export declare function withDatabase(url: string, database: string): string;
