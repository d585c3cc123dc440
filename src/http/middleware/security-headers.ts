// Security headers on every response (pages, API answers, downloads, errors). The CSP allows scripts and
// styles from our own origin only — no inline code anywhere — and media/blob URLs for the player.
// Job tokens live in URLs (downloads, SSE), so no Referer ever leaves a page of ours.
import type { MiddlewareHandler } from "hono";

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "Content-Security-Policy": CONTENT_SECURITY_POLICY,
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "no-referrer",
  "Cross-Origin-Opener-Policy": "same-origin",
};

export function securityHeaders(headers = SECURITY_HEADERS): MiddlewareHandler {
  return async function securityHeadersMiddleware(c, next) {
    await next();
    // Set after the handler: routes that return a Response of their own (downloads, SSE, static files)
    // never pass through c.header(), and errors are rendered by onError before control returns here.
    try {
      for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
    } catch {
      // A Response with immutable headers (e.g. passed through from fetch): copy it once.
      c.res = new Response(c.res.body, c.res);
      for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
    }
  };
}
