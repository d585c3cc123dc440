// Types for test-only packages that ship none.
declare module "parse-prometheus-text-format" {
  export type PromSample = {
    value?: string;
    labels?: Record<string, string>;
    buckets?: Record<string, string>;
  };
  export type PromFamily = {
    name: string;
    help: string;
    type: "COUNTER" | "GAUGE" | "SUMMARY" | "HISTOGRAM" | "UNTYPED";
    metrics: PromSample[];
  };
  export default function parsePrometheusTextFormat(text: string): PromFamily[];
}

declare module "s3rver" {
  export type S3rverOptions = {
    address?: string;
    port?: number;
    directory: string;
    silent?: boolean;
    allowMismatchedSignatures?: boolean;
    configureBuckets?: { name: string; configs: (string | Buffer)[] }[];
  };
  export default class S3rver {
    constructor(options: S3rverOptions);
    run(): Promise<{ address: string; port: number; family: string }>;
    close(): Promise<void>;
  }
}
