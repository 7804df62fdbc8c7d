// The part of s3rver (which ships no types) that the tests use.
declare module 's3rver' {
  export default class S3rver {
    constructor(options: {
      address?: string;
      port?: number;
      silent?: boolean;
      directory?: string;
      configureBuckets?: { name: string; configs: string[] }[];
    });
    /** Resolves to the listening server's address. */
    run(): Promise<{ address: string; port: number }>;
    close(): Promise<void>;
  }
}
