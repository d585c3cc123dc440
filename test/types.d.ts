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
